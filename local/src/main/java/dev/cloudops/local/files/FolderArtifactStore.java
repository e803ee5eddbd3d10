package dev.cloudops.local.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.StoredArtifact;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link ArtifactStore} on a folder: each object is the file at its S3 key under the root, with its content
 * type and metadata in {@code <file>.meta.json} beside it. Links point at the local server
 * ({@code <baseUrl>/artifacts/<key>?expires=<epoch second>&signature=<HMAC-SHA256, base64url>}) and are
 * checked by {@link #verify}.
 */
public final class FolderArtifactStore implements ArtifactStore {

    /** Links live at most this long, as S3's presigned URLs. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);
    /** The suffix of the metadata file beside each object; no key may end with it. */
    public static final String META_SUFFIX = ".meta.json";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final int MAX_KEY_LENGTH = 1024;
    private static final int MIN_SIGNING_KEY_BYTES = 32;
    private static final String HMAC = "HmacSHA256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final String baseUrl;
    private final SecretKeySpec signingKey;
    private final Duration defaultExpiry;
    private final Clock clock;

    /**
     * @param root the folder objects are kept under (created when missing)
     * @param baseUrl where the local server is reached, e.g. {@code http://localhost:8080}
     * @param signingKey the secret links are signed with, at least 32 bytes
     * @param defaultExpiry how long {@link #presignedUrl(String)} links are valid
     */
    public FolderArtifactStore(Path root, URI baseUrl, byte[] signingKey, Duration defaultExpiry, Clock clock) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(signingKey, "signingKey");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL, was " + baseUrl);
        }
        if (signingKey.length < MIN_SIGNING_KEY_BYTES) {
            throw new IllegalArgumentException("signingKey must have at least " + MIN_SIGNING_KEY_BYTES
                    + " bytes, had " + signingKey.length);
        }
        try {
            this.root = Files.createDirectories(root).toRealPath();
        } catch (IOException e) {
            throw new CloudopsException("cannot create the artifact folder " + root, e);
        }
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.signingKey = new SecretKeySpec(signingKey.clone(), HMAC);
        this.defaultExpiry = checkedExpiry(defaultExpiry);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String put(Artifact artifact) {
        String key = artifact.key();
        Path file = resolve(key);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("content_type", artifact.kind().contentType());
        ObjectNode metadata = meta.putObject("metadata");
        metadata.put("alert-id", artifact.alertId());
        metadata.put("domain", artifact.domain());
        metadata.put("phase", artifact.kind().phase());
        try {
            Files.createDirectories(file.getParent());
            // The sidecar first: a readable object file always has its metadata beside it.
            writeAtomically(sidecar(file), meta.toString().getBytes(StandardCharsets.UTF_8));
            writeAtomically(file, artifact.content());
        } catch (IOException e) {
            throw new CloudopsException("cannot store artifact " + key + " under " + root, e);
        }
        return key;
    }

    @Override
    public StoredArtifact get(String key) {
        Path file = resolve(key);
        try {
            byte[] content = Files.readAllBytes(file);
            JsonNode meta = JSON.readTree(Files.readAllBytes(sidecar(file)));
            Map<String, String> metadata = new LinkedHashMap<>();
            meta.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
            return new StoredArtifact(key, content, meta.path("content_type").asText(null), metadata);
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(key);
        } catch (IOException e) {
            throw new CloudopsException("cannot read artifact " + key + " under " + root, e);
        }
    }

    @Override
    public URI location(String key) {
        return resolve(key).toUri();
    }

    @Override
    public java.util.Optional<String> keyOf(URI location) {
        if (location == null || !"file".equals(location.getScheme())) {
            return java.util.Optional.empty();
        }
        Path file = Path.of(location).toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(base.relativize(file).toString().replace(java.io.File.separatorChar, '/'));
    }

    @Override
    public URI presignedUrl(String key) {
        return presignedUrl(key, defaultExpiry);
    }

    @Override
    public URI presignedUrl(String key, Duration expiry) {
        checkKey(key);
        long expires = clock.instant().plus(checkedExpiry(expiry)).getEpochSecond();
        return URI.create(baseUrl + "/artifacts/" + key + "?expires=" + expires + "&signature=" + sign(key, expires));
    }

    /**
     * Whether a link's parts are genuine: a valid key, not expired at {@code now}, and the signature this store
     * makes for that key and expiry (compared in constant time).
     */
    public boolean verify(String key, long expires, String signature, Instant now) {
        if (key == null || signature == null || now == null || !isValidKey(key)) {
            return false;
        }
        if (now.getEpochSecond() > expires) {
            return false;
        }
        byte[] expected = sign(key, expires).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }

    private String sign(String key, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(signingKey);
            byte[] digest = mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The file of a key, refusing any key that could name something outside the root or a sidecar. */
    private Path resolve(String key) {
        checkKey(key);
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("not a valid artifact key: " + key);
        }
        return file;
    }

    private static void checkKey(String key) {
        if (!isValidKey(key)) {
            throw new IllegalArgumentException("not a valid artifact key: " + key);
        }
    }

    /** Relative, slash-separated segments of safe characters, none of them {@code .} or {@code ..}. */
    private static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.endsWith(META_SUFFIX)) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + META_SUFFIX);
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Duration checkedExpiry(Duration expiry) {
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("link expiry must be between 1 second and 7 days, was " + expiry);
        }
        return expiry;
    }
}
