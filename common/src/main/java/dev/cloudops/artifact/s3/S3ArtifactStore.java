package dev.cloudops.artifact.s3;

import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.StoredArtifact;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link ArtifactStore} on one S3 bucket. Objects are written with server-side encryption (SSE-S3, or
 * SSE-KMS when a key is configured); links are presigned GETs.
 */
public final class S3ArtifactStore implements ArtifactStore {

    /** SigV4 presigned URLs cannot live longer than this. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration defaultExpiry;
    private final Optional<String> kmsKeyId;

    public S3ArtifactStore(S3Client s3, S3Presigner presigner, String bucket, Duration defaultExpiry,
            Optional<String> kmsKeyId) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.defaultExpiry = checkedExpiry(defaultExpiry);
        this.kmsKeyId = Objects.requireNonNull(kmsKeyId, "kmsKeyId");
    }

    @Override
    public String put(Artifact artifact) {
        String key = artifact.key();
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType(artifact.kind().contentType())
                // Named, not left to the client's default: S3 refuses a PutObject into a bucket with Object Lock
                // (the audit archive) without Content-MD5 or an x-amz-sdk-checksum-algorithm header, and the SDK
                // computes no checksum for PutObject when configured to only when required
                // (AWS_REQUEST_CHECKSUM_CALCULATION=when_required) unless the request names an algorithm.
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                .metadata(Map.of(
                        "alert-id", artifact.alertId(),
                        "domain", artifact.domain(),
                        "phase", artifact.kind().phase()));
        kmsKeyId.ifPresentOrElse(
                id -> request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id),
                () -> request.serverSideEncryption(ServerSideEncryption.AES256));
        s3.putObject(request.build(), RequestBody.fromBytes(artifact.content()));
        return key;
    }

    @Override
    public StoredArtifact get(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            GetObjectResponse response = bytes.response();
            return new StoredArtifact(key, bytes.asByteArray(), response.contentType(), response.metadata());
        } catch (NoSuchKeyException e) {
            throw new ArtifactNotFoundException(key);
        }
    }

    @Override
    public URI location(String key) {
        try {
            return new URI("s3", bucket, "/" + key, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid object key: " + key, e);
        }
    }

    @Override
    public java.util.Optional<String> keyOf(URI location) {
        if (location == null || !"s3".equals(location.getScheme()) || !bucket.equals(location.getHost())
                || location.getPath() == null || location.getPath().length() < 2) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(location.getPath().substring(1));
    }

    @Override
    public URI presignedUrl(String key) {
        return presignedUrl(key, defaultExpiry);
    }

    @Override
    public URI presignedUrl(String key, Duration expiry) {
        Duration valid = checkedExpiry(expiry);
        var presigned = presigner.presignGetObject(p -> p
                .signatureDuration(valid)
                .getObjectRequest(g -> g.bucket(bucket).key(key)));
        try {
            return presigned.url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("presigner returned an invalid URL", e);
        }
    }

    private static Duration checkedExpiry(Duration expiry) {
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("presigned URL expiry must be between 1 second and 7 days, was "
                    + expiry);
        }
        return expiry;
    }
}
