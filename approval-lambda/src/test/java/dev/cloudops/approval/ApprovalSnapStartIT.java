package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.testing.RecordingAws;
import dev.cloudops.testing.RecordingMetrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/** The approval function's SnapStart hooks with its production wiring, every AWS service played by one recording server. */
class ApprovalSnapStartIT {

    private RecordingAws aws;

    @BeforeEach
    void start() {
        aws = RecordingAws.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void beforeCheckpoint_primesEveryClientAndThePageRendering_withoutANetworkCallOrAChange() {
        AwsClients clients = new AwsClients(config().aws(), aws.credentials());
        RecordingMetrics metrics = new RecordingMetrics();
        ApprovalWiring.Wired wired = ApprovalWiring.wire(config(), clients, metrics, Clock.systemUTC());
        int requestsDuringInit = aws.requests().size();
        int resolutionsDuringInit = aws.resolutions();

        wired.snapStart().beforeCheckpoint(null);
        wired.audit().flush();

        assertThat(aws.requests()).as("requests, the signing key's read during INIT aside").hasSize(requestsDuringInit);
        assertThat(aws.resolutions()).as("resolutions of the function's credentials").isEqualTo(resolutionsDuringInit);
        assertThat(metrics.all()).isEmpty();
        assertThat(clients.built()).hasAtLeastOneElementOfType(DynamoDbClient.class)
                .hasAtLeastOneElementOfType(S3Client.class).hasAtLeastOneElementOfType(SnsClient.class)
                .hasAtLeastOneElementOfType(CloudWatchLogsClient.class);
    }

    @Test
    void theHandler_keepsTheHooksOfItsProductionWiring() {
        ApprovalHandler handler = new ApprovalHandler(config(), new AwsClients(config().aws(), aws.credentials()),
                Clock.systemUTC());

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
