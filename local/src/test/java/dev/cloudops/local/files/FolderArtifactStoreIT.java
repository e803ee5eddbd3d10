package dev.cloudops.local.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.StoredArtifact;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Artifacts as files under a folder: the S3 key layout, metadata beside them, keys confined, links signed. */
class FolderArtifactStoreIT {

    private static final Instant AT = Instant.parse("2026-11-27T02:24:37.120Z");
    private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");
    private static final String ALERT = "01JARTIFACT0000000000000001";
    private static final byte[] SIGNING_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final URI BASE_URL = URI.create("http://localhost:8080/");

    @TempDir
    Path temp;

    private Path root;
    private FolderArtifactStore store;

    @BeforeEach
    void open() {
        root = temp.resolve("artifacts");
        store = new FolderArtifactStore(root, BASE_URL, SIGNING_KEY, Duration.ofMinutes(15),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void put_storesEachKind_underTheS3KeyLayout_withTypeAndMetadata() throws Exception {
        byte[] report = "# Root cause\nThe bucket policy denies CloudFront.".getBytes(StandardCharsets.UTF_8);

        String analysis = store.put(new Artifact(ArtifactKind.ANALYSIS, ALERT, "www.example.com", AT, report));
        String evidence = store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, "{}".getBytes()));
        String log = store.put(new Artifact(ArtifactKind.EXECUTION_LOG, ALERT, "www.example.com", AT, "ok".getBytes()));
        String archive = store.put(new Artifact(ArtifactKind.ARCHIVE, ALERT, "www.example.com", AT, "{}".getBytes()));

        assertThat(analysis).isEqualTo("analyses/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md");
        assertThat(evidence).isEqualTo("evidence/2026-11-27/www.example.com/02-24-37-" + ALERT + ".json");
        assertThat(log).isEqualTo("executions/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md");
        assertThat(archive).isEqualTo("executions/archive/2026/11/27/" + ALERT + ".json");
        assertThat(Files.readAllBytes(root.resolve(analysis))).isEqualTo(report);
        assertThat(root.resolve(analysis + ".meta.json")).isRegularFile();
        StoredArtifact stored = store.get(analysis);
        assertThat(stored.key()).isEqualTo(analysis);
        assertThat(stored.content()).isEqualTo(report);
        assertThat(stored.contentType()).isEqualTo("text/markdown; charset=utf-8");
        assertThat(stored.metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("alert-id", ALERT, "domain", "www.example.com", "phase", "analysis"));
        assertThat(store.get(archive).metadata()).containsEntry("phase", "archive");
        assertThat(store.get(archive).contentType()).isEqualTo("application/json");
    }

    @Test
    void put_overwritesTheObject_underTheSameKey() {
        String key = store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, "{\"v\":1}".getBytes()));

        store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, "{\"v\":2}".getBytes()));

        assertThat(new String(store.get(key).content(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
    }

    @Test
    void get_throwsNotFound_forAKeyNeverStored() {
        assertThatThrownBy(() -> store.get("analyses/2026-11-27/www.example.com/02-24-37-MISSING.md"))
                .isInstanceOf(ArtifactNotFoundException.class)
                .hasMessageContaining("02-24-37-MISSING.md");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside.txt", "analyses/../../outside.txt", "/etc/passwd", "analyses//x.md",
            "analyses/./x.md", "analyses\\..\\x.md", "", "C:/x.md", "analyses/x.md.meta.json", "analyses/x%2F..md"})
    void keys_thatCouldLeaveTheRootOrNameASidecar_areRefused(String key) throws Exception {
        Files.writeString(temp.resolve("outside.txt"), "secret");

        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.location(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignedUrl(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.verify(key, NOW.getEpochSecond() + 60, "anything", NOW)).isFalse();
    }

    @Test
    void keyOf_readsTheKeyBackFromItsLocation_andNothingOutsideTheRoot() {
        String key = "executions/2026-11-27/www.example.com/02-24-37-01JX.md";

        assertThat(store.keyOf(store.location(key))).hasValue(key);
        assertThat(store.keyOf(java.nio.file.Path.of("/etc/passwd").toUri())).isEmpty();
        assertThat(store.keyOf(java.net.URI.create("s3://bucket/" + key))).isEmpty();
    }

    @Test
    void location_isTheObjectsFileUri() throws Exception {
        String key = store.put(new Artifact(ArtifactKind.EVIDENCE, ALERT, "www.example.com", AT, "{}".getBytes()));

        URI location = store.location(key);

        assertThat(location.getScheme()).isEqualTo("file");
        assertThat(Path.of(location)).isEqualTo(root.toRealPath().resolve(key));
    }

    @Test
    void presignedUrl_pointsAtTheLocalServer_andVerifiesUntilItExpires() {
        String key = "analyses/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md";

        URI link = store.presignedUrl(key, Duration.ofMinutes(5));

        Map<String, String> query = query(link);
        long expires = Long.parseLong(query.get("expires"));
        assertThat(link.toString()).startsWith("http://localhost:8080/artifacts/" + key + "?expires=");
        assertThat(expires).isEqualTo(NOW.plus(Duration.ofMinutes(5)).getEpochSecond());
        assertThat(store.verify(key, expires, query.get("signature"), NOW)).isTrue();
        assertThat(store.verify(key, expires, query.get("signature"), Instant.ofEpochSecond(expires))).isTrue();
        assertThat(store.verify(key, expires, query.get("signature"), Instant.ofEpochSecond(expires + 1)))
                .as("expired").isFalse();
    }

    @Test
    void verify_refusesTamperedLinks() {
        String key = "analyses/2026-11-27/www.example.com/02-24-37-" + ALERT + ".md";
        Map<String, String> query = query(store.presignedUrl(key));
        long expires = Long.parseLong(query.get("expires"));
        String signature = query.get("signature");
        char[] flipped = signature.toCharArray();
        flipped[0] = flipped[0] == 'A' ? 'B' : 'A';

        assertThat(store.verify(key, expires, signature, NOW)).isTrue();
        assertThat(store.verify(key.replace(".md", ".json"), expires, signature, NOW)).as("other key").isFalse();
        assertThat(store.verify(key, expires + 3600, signature, NOW)).as("extended expiry").isFalse();
        assertThat(store.verify(key, expires, new String(flipped), NOW)).as("altered signature").isFalse();
        assertThat(store.verify(key, expires, signature.substring(1), NOW)).as("truncated signature").isFalse();
        assertThat(store.verify(key, expires, "", NOW)).as("no signature").isFalse();
    }

    @Test
    void verify_refusesLinksSigned_withAnotherKey() {
        String key = "executions/archive/2026/11/27/" + ALERT + ".json";
        byte[] otherKey = Arrays.copyOf(SIGNING_KEY, SIGNING_KEY.length);
        otherKey[0] ^= 1;
        FolderArtifactStore other = new FolderArtifactStore(root, BASE_URL, otherKey, Duration.ofMinutes(15),
                Clock.fixed(NOW, ZoneOffset.UTC));
        Map<String, String> query = query(other.presignedUrl(key));

        boolean valid = store.verify(key, Long.parseLong(query.get("expires")), query.get("signature"), NOW);

        assertThat(valid).isFalse();
    }

    @Test
    void presignedUrl_refusesExpiriesBeyondSevenDays() {
        assertThatThrownBy(() -> store.presignedUrl("executions/archive/2026/11/27/" + ALERT + ".json", Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
    }

    private static Map<String, String> query(URI link) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : link.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            out.put(parts[0], parts[1]);
        }
        return out;
    }
}
