package dev.cloudops.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The stores every function uses: the Alerts table ({@code ALERTS_TABLE}), the artifacts bucket
 * ({@code ARTIFACTS_BUCKET}, optional KMS key {@code ARTIFACTS_KMS_KEY_ID}), how long alerts are kept
 * ({@code ALERT_TTL}, default 7 days) and how long presigned links live ({@code LINK_EXPIRY}, default 15 minutes).
 */
public record StorageSettings(
        String alertsTable,
        String artifactsBucket,
        Optional<String> artifactsKmsKeyId,
        Duration alertRetention,
        Duration linkExpiry) {

    public static final Duration DEFAULT_ALERT_TTL = Duration.ofDays(7);
    public static final Duration DEFAULT_LINK_EXPIRY = Duration.ofMinutes(15);

    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public static StorageSettings read(ConfigReader reader) {
        String table = reader.required("ALERTS_TABLE", TABLE, "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
        String bucket = reader.required("ARTIFACTS_BUCKET", BUCKET, "an S3 bucket name (3-63 of a-z 0-9 . -)");
        Optional<String> kms = reader.optional("ARTIFACTS_KMS_KEY_ID");
        Duration retention = reader.duration("ALERT_TTL", DEFAULT_ALERT_TTL, Duration.ofHours(1), Duration.ofDays(365));
        Duration links = reader.duration("LINK_EXPIRY", DEFAULT_LINK_EXPIRY, Duration.ofSeconds(1), Duration.ofDays(7));
        return new StorageSettings(table, bucket, kms, retention, links);
    }
}
