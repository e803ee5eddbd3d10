package dev.cloudops.artifact.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The store writing into a bucket like the template's AuditArchiveBucket (Object Lock, default retention in
 * governance mode), on moto, which keeps S3's rule for such a bucket: a PutObject without Content-MD5 or a checksum
 * algorithm is refused. The store names its checksum algorithm, so its puts do not depend on the client's
 * checksum setting: here the client is set to compute checksums only when an operation requires them (what
 * AWS_REQUEST_CHECKSUM_CALCULATION=when_required does), under which a put naming none is refused.
 */
@ExtendWith(Emulators.class)
class S3ArtifactStoreObjectLockMotoIT {

    private static final Instant AT = Instant.parse("2026-11-27T02:24:37.120Z");
    private static final String ALERT = "01JARCHIVE00000000000000001";
    private static final int DAYS = 400;

    private final MotoServer moto;
    private S3Client whenRequired;
    private String bucket;

    S3ArtifactStoreObjectLockMotoIT(MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void lockedBucket() {
        whenRequired = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
        bucket = "audit-archive-" + UUID.randomUUID().toString().substring(0, 13);
        S3Client s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
        s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(DAYS)))));
    }

    @AfterEach
    void close() {
        whenRequired.close();
    }

    @Test
    void aPutNamingNoChecksum_isRefusedByTheLockedBucket() {
        assertThatThrownBy(() -> whenRequired.putObject(b -> b.bucket(bucket).key("executions/archive/plain.json"),
                RequestBody.fromString("{}")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Content-MD5", "Object Lock");
                });
    }

    @Test
    void theStoresPut_isAccepted_andTheArchiveGetsTheBucketsGovernanceRetention() {
        S3ArtifactStore store = new S3ArtifactStore(whenRequired, moto.clients().s3Presigner(), bucket,
                Duration.ofMinutes(15), Optional.empty());
        Instant before = Instant.now();

        String key = store.put(new Artifact(ArtifactKind.ARCHIVE, ALERT, "shop.example.com", AT,
                "{\"alert_id\":\"01JARCHIVE00000000000000001\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(key).startsWith("executions/archive/");
        assertThat(new String(store.get(key).content(), StandardCharsets.UTF_8)).contains(ALERT);
        // The retention as HeadObject reports it (moto 5.2.1 answers GetObjectRetention with a 500).
        HeadObjectResponse head = whenRequired.headObject(b -> b.bucket(bucket).key(key));
        assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
        assertThat(head.objectLockRetainUntilDate()).isCloseTo(before.plus(Duration.ofDays(DAYS)),
                within(1, ChronoUnit.DAYS));
        String version = head.versionId();
        assertThatThrownBy(() -> whenRequired.deleteObject(b -> b.bucket(bucket).key(key).versionId(version)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        // What a principal holding s3:BypassGovernanceRetention can still do, and why no role of the template has it.
        whenRequired.deleteObject(b -> b.bucket(bucket).key(key).versionId(version).bypassGovernanceRetention(true));
        assertThat(whenRequired.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
    }
}
