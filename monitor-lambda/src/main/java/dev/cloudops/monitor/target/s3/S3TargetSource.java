package dev.cloudops.monitor.target.s3;

import dev.cloudops.monitor.target.TargetSource;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads the target document from one S3 object. */
public final class S3TargetSource implements TargetSource {

    private final S3Client s3;
    private final String bucket;
    private final String key;

    public S3TargetSource(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public String read() {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Override
    public String describe() {
        return "S3 object s3://" + bucket + "/" + key;
    }
}
