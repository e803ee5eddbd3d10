package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditChain;
import dev.cloudops.audit.ArchivedTrail;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import dev.cloudops.testing.S3Emulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where the execution function archives a closed alert: the template's Object Lock bucket when
 * AUDIT_ARCHIVE_BUCKET names it, else the artifacts bucket (the local runner, stacks deployed before that bucket
 * existed). On s3proxy for the routing; on moto, which keeps S3's Object Lock rules (default retention on every new
 * version, versions locked in governance mode refused to a plain delete, Content-MD5 or a checksum algorithm
 * required on a put), for what the lock does to the archive the function wrote.
 */
@ExtendWith(Emulators.class)
class AuditArchiveIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOCK_DAYS = 400;

    private final Dynalite dynalite;
    private final S3Emulator s3proxy;
    private final MotoServer moto;

    AuditArchiveIT(Dynalite dynalite, S3Emulator s3proxy, MotoServer moto) {
        this.dynalite = dynalite;
        this.s3proxy = s3proxy;
        this.moto = moto;
    }

    @Test
    void withAnArchiveBucket_theClosedAlertIsArchivedThere_andItsLogStaysWithTheArtifacts() throws Exception {
        try (ExecutionTestBed bed = new ExecutionTestBed(dynalite, s3proxy)) {
            String archive = bed.archiveBucket(Optional.empty());

            Alert alert = completed(bed, Map.of("AUDIT_ARCHIVE_BUCKET", archive));

            assertThat(bed.keys("executions/archive/")).as("archives in the artifacts bucket").isEmpty();
            assertThat(bed.keys(archive, "")).singleElement().satisfies(key -> {
                assertThat(key).startsWith("executions/archive/").endsWith(".json").contains(alert.alertId());
                assertArchiveOf(alert, bed.object(archive, key));
            });
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(stored.executionLogUrl()).startsWith("s3://" + bed.bucket + "/executions/");
            assertThat(bed.keys("executions/")).containsExactly(ExecutionTestBed.key(stored.executionLogUrl()));
        }
    }

    @Test
    void withoutAnArchiveBucket_theClosedAlertIsArchivedWithTheArtifacts() throws Exception {
        try (ExecutionTestBed bed = new ExecutionTestBed(dynalite, s3proxy)) {
            Alert alert = completed(bed, Map.of());

            assertThat(bed.keys("executions/archive/")).singleElement()
                    .satisfies(key -> assertArchiveOf(alert, bed.object(key)));
        }
    }

    @Test
    void inAnObjectLockBucket_theArchiveIsLockedInGovernanceMode_andAPlainDeleteOfItsVersionIsRefused()
            throws Exception {
        S3Client s3 = moto.clients().s3();
        try (ExecutionTestBed bed = new ExecutionTestBed(dynalite, moto.endpoint(), s3)) {
            String archive = bed.archiveBucket(Optional.of(LOCK_DAYS));
            Instant before = Instant.now();

            Alert alert = completed(bed, Map.of("AUDIT_ARCHIVE_BUCKET", archive));

            String key = bed.keys(archive, "").getFirst();
            assertArchiveOf(alert, bed.object(archive, key));
            ObjectVersion version = s3.listObjectVersions(b -> b.bucket(archive)).versions().getFirst();
            assertThat(version.key()).isEqualTo(key);
            // The retention as HeadObject reports it (moto 5.2.1 answers GetObjectRetention with a 500).
            HeadObjectResponse head = s3.headObject(b -> b.bucket(archive).key(key).versionId(version.versionId()));
            assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
            assertThat(head.objectLockRetainUntilDate())
                    .isCloseTo(before.plus(Duration.ofDays(LOCK_DAYS)), within(1, ChronoUnit.DAYS));

            // Deleting the version itself, as a principal without s3:BypassGovernanceRetention would: refused.
            assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(archive).key(key).versionId(version.versionId())))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            // Overwriting or deleting by key only stacks a new version or a delete marker on it; the archive stays.
            s3.putObject(b -> b.bucket(archive).key(key).contentMD5(md5("{}")), RequestBody.fromString("{}"));
            s3.deleteObject(b -> b.bucket(archive).key(key));
            String kept = s3.getObjectAsBytes(b -> b.bucket(archive).key(key).versionId(version.versionId()))
                    .asUtf8String();
            assertArchiveOf(alert, kept);
        }
    }

    /** An approved alert executed to COMPLETED through the handler, with these variables set. */
    private static Alert completed(ExecutionTestBed bed, Map<String, String> env) {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(env, Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.COMPLETED);
        return alert;
    }

    /** The closed alert's record, its trail intact and ending at the head it carries (what audit verify checks). */
    private static void assertArchiveOf(Alert alert, String archived) {
        JsonNode json;
        try {
            json = JSON.readTree(archived);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(json.path("alert_id").asText()).isEqualTo(alert.alertId());
        assertThat(json.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(ArchivedTrail.verify(json)).as("the archive's trail against its audit_head")
                .isInstanceOfSatisfying(AuditChain.Verdict.Intact.class,
                        intact -> assertThat(intact.length()).isEqualTo(json.path("audit").size()));
    }

    private static String md5(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
