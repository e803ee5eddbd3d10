package dev.cloudops.artifact.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A presigned link is the only thing that lets a reader fetch an artifact, so a link with one character of its
 * signature changed, or one past its expiry, must be refused. Checked on s3proxy alone, which verifies SigV4
 * query signatures and their X-Amz-Expires: moto serves any presigned URL for an existing key without checking
 * either (docs/testing.md). The rest of the store runs on both, in {@link S3ArtifactStoreIT}.
 */
@ExtendWith(Emulators.class)
class S3PresignedUrlRefusalIT {

    private static final Instant AT = Instant.parse("2026-11-27T02:24:37.120Z");
    private static final String ALERT = "01JARTIFACT0000000000000001";

    private final S3Emulator s3proxy;
    private HttpClient http;
    private S3ArtifactStore store;

    S3PresignedUrlRefusalIT(S3Emulator s3proxy) {
        this.s3proxy = s3proxy;
    }

    @BeforeEach
    void createBucket() {
        String bucket = "artifacts-" + UUID.randomUUID();
        s3proxy.clients().s3().createBucket(b -> b.bucket(bucket));
        store = new S3ArtifactStore(s3proxy.clients().s3(), s3proxy.clients().s3Presigner(), bucket,
                Duration.ofMinutes(15), Optional.empty());
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void close() {
        http.close();
    }

    @Test
    void presignedUrl_isRefused_withOneCharacterOfItsSignatureChanged() throws Exception {
        byte[] content = "{\"items\":[\"evidence-only-the-link-may-read\"]}".getBytes(StandardCharsets.UTF_8);
        String key = store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, content));
        URI url = store.presignedUrl(key);

        HttpResponse<byte[]> fetched = fetch(url);
        HttpResponse<byte[]> tampered = fetch(URI.create(changeOneSignatureCharacter(url.toString())));

        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(new String(tampered.body(), StandardCharsets.UTF_8)).doesNotContain("evidence-only-the-link-may-read");
    }

    @Test
    void presignedUrl_isRefused_afterItExpires() throws Exception {
        String key = store.put(new Artifact(ArtifactKind.ANALYSIS, ALERT, "www.example.com", AT, "x".getBytes()));
        URI url = store.presignedUrl(key, Duration.ofSeconds(1));

        // Not synchronisation: the link's validity is wall-clock time, signed into it by the presigner.
        Thread.sleep(2_100);

        assertThat(fetch(url).statusCode()).isEqualTo(403);
    }

    private HttpResponse<byte[]> fetch(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String changeOneSignatureCharacter(String url) {
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char c = url.charAt(at);
        char other = c == 'a' ? 'b' : 'a';
        return url.substring(0, at) + other + url.substring(at + 1);
    }
}
