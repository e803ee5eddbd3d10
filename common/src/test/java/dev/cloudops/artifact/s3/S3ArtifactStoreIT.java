package dev.cloudops.artifact.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.StoredArtifact;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The artifact store once on each S3 implementation (s3proxy and moto): key layout, content type, user metadata
 * and server-side encryption as S3 gives them back, NoSuchKey for a missing key, and a presigned link that a
 * plain HTTP client can follow. That a changed or expired link is refused is checked on s3proxy alone, in
 * {@link S3PresignedUrlRefusalIT}: moto does not check presigned URLs.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.S3Endpoint#all")
@ExtendWith(Emulators.class)
class S3ArtifactStoreIT {

    private static final Instant AT = Instant.parse("2026-11-27T02:24:37.120Z");
    private static final String ALERT = "01JARTIFACT0000000000000001";

    private static HttpClient http;

    @Parameter
    S3Endpoint endpoint;

    private S3Client s3;
    private String bucket;
    private S3ArtifactStore store;

    @BeforeAll
    static void connect() {
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void disconnect() {
        http.close();
    }

    @BeforeEach
    void createBucket() {
        s3 = endpoint.clients().s3();
        bucket = "artifacts-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        store = new S3ArtifactStore(s3, endpoint.clients().s3Presigner(), bucket, Duration.ofMinutes(15),
                Optional.empty());
    }

    @Test
    void put_storesEachKind_underTheDesignKeyLayout_withTypeMetadataAndEncryption() {
        byte[] report = "# Root cause\nThe bucket policy denies CloudFront.".getBytes(StandardCharsets.UTF_8);

        String analysis = store.put(new Artifact(ArtifactKind.ANALYSIS, ALERT, "www.example.com", AT, report));
        String evidence = store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, "{}".getBytes()));
        String log = store.put(new Artifact(ArtifactKind.EXECUTION_LOG, ALERT, "www.example.com", AT, "ok".getBytes()));
        String archive = store.put(new Artifact(ArtifactKind.ARCHIVE, ALERT, "www.example.com", AT, "{}".getBytes()));

        assertThat(analysis).isEqualTo("analyses/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md");
        assertThat(evidence).isEqualTo("evidence/2026-11-27/www.example.com/02-24-37-" + ALERT + ".json");
        assertThat(log).isEqualTo("executions/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md");
        assertThat(archive).isEqualTo("executions/archive/2026/11/27/" + ALERT + ".json");
        StoredArtifact stored = store.get(analysis);
        assertThat(stored.content()).isEqualTo(report);
        assertThat(stored.contentType()).isEqualTo("text/markdown; charset=utf-8");
        assertThat(stored.metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("alert-id", ALERT, "domain", "www.example.com", "phase", "analysis"));
        assertThat(store.get(archive).metadata()).containsEntry("phase", "archive");
        assertThat(s3.headObject(b -> b.bucket(bucket).key(analysis)).serverSideEncryption())
                .isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void put_withAKmsKeyConfigured_encryptsWithThatKey() {
        String key = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
        S3ArtifactStore kms = new S3ArtifactStore(s3, endpoint.clients().s3Presigner(), bucket, Duration.ofMinutes(15),
                Optional.of(key));

        String stored = kms.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, "{}".getBytes()));

        var head = s3.headObject(b -> b.bucket(bucket).key(stored));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(key);
        assertThat(kms.get(stored).content()).isEqualTo("{}".getBytes());
    }

    @Test
    void keyOf_readsTheKeyBackFromItsLocation_andOnlyForThisBucket() {
        String key = "executions/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md";

        assertThat(store.keyOf(store.location(key))).hasValue(key);
        assertThat(store.keyOf(java.net.URI.create("s3://another-bucket/" + key))).isEmpty();
        assertThat(store.keyOf(java.net.URI.create("https://example.com/" + key))).isEmpty();
    }

    @Test
    void get_throwsNotFound_forAMissingKey() {
        assertThatThrownBy(() -> store.get("analyses/2026-11-27/nowhere/none.md"))
                .isInstanceOf(ArtifactNotFoundException.class)
                .hasMessageContaining("analyses/2026-11-27/nowhere/none.md");
    }

    @Test
    void presignedUrl_servesTheBytesOverPlainHttp() throws Exception {
        byte[] content = "{\"items\":[\"evidence-only-the-link-may-read\"]}".getBytes(StandardCharsets.UTF_8);
        String key = store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, content));
        URI url = store.presignedUrl(key);

        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getQuery()).contains("X-Amz-Expires=900");
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(content);
    }

    @Test
    void presignedUrl_rejectsExpiriesS3CannotSign() {
        assertThatThrownBy(() -> store.presignedUrl("k", Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
    }
}
