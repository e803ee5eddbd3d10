package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.testing.RecordingAws;
import dev.cloudops.testing.RecordingMetrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/** The approval function's SnapStart hooks with its production wiring, every AWS service played by one recording server. */
class ApprovalSnapStartIT {

    @RegisterExtension
    final RecordingAws aws = new RecordingAws();

    @Test
    void beforeCheckpoint_primesEveryClientAndThePageRendering_withoutANetworkCallOrAChange() {
        AwsClients clients = aws.clients(config().aws());
        RecordingMetrics metrics = new RecordingMetrics();
        ApprovalWiring.Wired wired = ApprovalWiring.wire(config(), clients, metrics, Clock.systemUTC());
        RecordingAws.Traffic init = aws.traffic();

        wired.snapStart().beforeCheckpoint(null);
        wired.audit().flush();

        assertThat(aws.traffic()).as("requests and credential resolutions, the signing key's read during INIT aside")
                .isEqualTo(init);
        assertThat(metrics.all()).isEmpty();
        assertThat(clients.built()).hasAtLeastOneElementOfType(DynamoDbClient.class)
                .hasAtLeastOneElementOfType(S3Client.class).hasAtLeastOneElementOfType(SnsClient.class)
                .hasAtLeastOneElementOfType(CloudWatchLogsClient.class);
    }

    @Test
    void theHandler_keepsTheHooksOfItsProductionWiring() {
        ApprovalHandler handler = new ApprovalHandler(ApprovalWiring.wire(config(), aws.clients(config().aws()),
                Clock.systemUTC()));

        handler.snapStart().beforeCheckpoint(null);
        handler.snapStart().afterRestore(null);

        assertThat(aws.requests()).as("only the signing key's read during INIT").hasSize(1);
    }

    private ApprovalConfig config() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL", aws.endpoint());
        env.put("ALERTS_TABLE", "alerts");
        env.put("ARTIFACTS_BUCKET", "artifacts");
        env.put("EXECUTE_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-execute");
        env.put("REVIEW_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/key-AbCdEf");
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("NOTIFY_EMAIL_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-notify");
        env.put("AUDIT_LOG_GROUP", "/aws/cloudops-agent/audit");
        return ApprovalConfig.from(env);
    }
}
