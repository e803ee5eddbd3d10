package dev.cloudops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class ConfigReaderTest {

    @Test
    void read_namesEveryMissingAndMalformedVariable_inOneError() {
        ConfigReader reader = new ConfigReader(Map.of(
                "AWS_REGION", "Europe",
                "AWS_ENDPOINT_URL", "localhost:4566",
                "ARTIFACTS_BUCKET", "Bad_Bucket",
                "ALERT_TTL", "seven days",
                "LINK_EXPIRY", "30d"));

        AwsSettings.read(reader);
        StorageSettings.read(reader);

        assertThatThrownBy(reader::check)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "AWS_REGION must be an AWS region such as eu-west-1, was 'Europe'",
                        "AWS_ENDPOINT_URL must be an absolute http or https URL, was 'localhost:4566'",
                        "ALERTS_TABLE is missing",
                        "ARTIFACTS_BUCKET must be an S3 bucket name (3-63 of a-z 0-9 . -), was 'Bad_Bucket'",
                        "ALERT_TTL must be a duration such as 15m, 24h, 7d or PT15M, was 'seven days'",
                        "LINK_EXPIRY must be between PT1S and PT168H, was PT720H"))
                .hasMessageStartingWith("invalid configuration (6 problems): AWS_REGION must be");
    }

    @Test
    void read_appliesDocumentedDefaults_andAcceptsBothDurationForms() {
        ConfigReader reader = new ConfigReader(Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000",
                "ALERTS_TABLE", "cloudops-alerts",
                "ARTIFACTS_BUCKET", "cloudops-artifacts-123",
                "LINK_EXPIRY", "PT30M"));

        AwsSettings aws = AwsSettings.read(reader);
        StorageSettings storage = StorageSettings.read(reader);
        reader.check();

        assertThat(aws.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(aws.endpointFor("S3")).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(aws.endpointFor("DYNAMODB")).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(storage).isEqualTo(new StorageSettings("cloudops-alerts", "cloudops-artifacts-123",
                Optional.empty(), Duration.ofDays(7), Duration.ofMinutes(30)));
    }

    @Test
    void notifications_needAReviewBaseAndKey_andRealArns() {
        ConfigReader reader = new ConfigReader(Map.of(
                "NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", "https://example.webhook.office.com/secret",
                "NOTIFY_EMAIL_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-email",
                "NOTIFY_SES_TO", "oncall@example.com, not-an-address"));

        NotificationSettings settings = NotificationSettings.read(reader);

        assertThat(settings.emailTopicArn()).contains("arn:aws:sns:eu-west-1:123456789012:cloudops-email");
        assertThatThrownBy(reader::check)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "NOTIFY_TEAMS_WEBHOOK_SECRET_ARN must be the ARN of a Secrets Manager secret, was "
                                + "'https://example.webhook.office.com/secret'",
                        "set NOTIFY_SES_FROM (a verified sender) and NOTIFY_SES_TO (addresses) together",
                        "'not-an-address' is not an email address",
                        "notifications need REVIEW_BASE_URL and REVIEW_SIGNING_SECRET_ARN for their review links"));
        assertThat(NotificationSettings.read(new ConfigReader(Map.of())).anyChannel()).isFalse();
    }

    @Test
    void duration_acceptsShortForms() {
        ConfigReader reader = new ConfigReader(Map.of("A", "900s", "B", "24h", "C", "250ms", "D", "p1d"));

        assertThat(reader.duration("A", null, Duration.ZERO, Duration.ofDays(9))).isEqualTo(Duration.ofMinutes(15));
        assertThat(reader.duration("B", null, Duration.ZERO, Duration.ofDays(9))).isEqualTo(Duration.ofDays(1));
        assertThat(reader.duration("C", null, Duration.ZERO, Duration.ofDays(9))).isEqualTo(Duration.ofMillis(250));
        assertThat(reader.duration("D", null, Duration.ZERO, Duration.ofDays(9))).isEqualTo(Duration.ofDays(1));
        reader.check();
    }

    @Test
    void integer_reportsNonNumbersAndValuesOutOfRange() {
        ConfigReader reader = new ConfigReader(Map.of("RATE", "ten", "CONCURRENCY", "0", "BLANK", "  "));

        assertThat(reader.integer("RATE", 10, 1, 100)).isNull();
        assertThat(reader.integer("CONCURRENCY", 3, 1, 10)).isNull();
        assertThat(reader.integer("BLANK", 3, 1, 10)).isEqualTo(3);
        assertThatThrownBy(reader::check).hasMessageContaining("RATE must be a whole number, was 'ten'")
                .hasMessageContaining("CONCURRENCY must be between 1 and 10, was 0");
    }

    @Test
    void telemetry_defaultsToTheCloudopsAgentNamespace_andNoAuditLog_andNoTracing() {
        ConfigReader reader = new ConfigReader(Map.of());

        TelemetrySettings telemetry = TelemetrySettings.read(reader);

        reader.check();
        assertThat(telemetry).isEqualTo(new TelemetrySettings("CloudopsAgent", Optional.empty(), Optional.empty()));
    }

    @Test
    void telemetry_readsTheXRayDaemonLambdaSets_andNamesAMalformedOne() {
        ConfigReader lambda = new ConfigReader(Map.of("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000"));
        ConfigReader broken = new ConfigReader(Map.of("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129"));

        TelemetrySettings telemetry = TelemetrySettings.read(lambda);
        TelemetrySettings.read(broken);

        lambda.check();
        assertThat(telemetry.xrayDaemonAddress()).contains("169.254.79.129:2000");
        assertThatThrownBy(broken::check).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactly("AWS_XRAY_DAEMON_ADDRESS must be host:port, was '169.254.79.129'"));
    }

    @Test
    void telemetry_namesABadNamespaceAndLogGroup_andABadNumber() {
        ConfigReader reader = new ConfigReader(Map.of("METRICS_NAMESPACE", "AWS/Lambda",
                "AUDIT_LOG_GROUP", "audit log", "PRICE", "cheap"));

        TelemetrySettings.read(reader);
        reader.decimal("PRICE", 0.5, 0, 1);

        assertThatThrownBy(reader::check)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "METRICS_NAMESPACE must be 1-255 of A-Z a-z 0-9 space . _ / # : - and not start with AWS/, "
                                + "was 'AWS/Lambda'",
                        "AUDIT_LOG_GROUP must be a log group name (1-512 of A-Z a-z 0-9 _ . / # -), was 'audit log'",
                        "PRICE must be a number such as 0.003, was 'cheap'"));
    }
}
