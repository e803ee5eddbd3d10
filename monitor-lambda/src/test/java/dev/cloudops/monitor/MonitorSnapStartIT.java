package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.testing.RecordingAws;
import dev.cloudops.testing.RecordingMetrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The monitor's SnapStart hooks with its production wiring (every channel, the audit log and a Bedrock
 * agent configured), every AWS service played by one server that records any request.
 */
class MonitorSnapStartIT {

    @RegisterExtension
    final RecordingAws aws = new RecordingAws();

    @Test
    void beforeCheckpoint_buildsTheInvestigationClients_andPrimesEveryClient_withoutANetworkCallOrAChange() {
        AwsClients clients = aws.clients(config().aws());
        RecordingMetrics metrics = new RecordingMetrics();
        MonitorWiring.Wired wired = MonitorWiring.wire(config(), clients, metrics, Clock.systemUTC());
        RecordingAws.Traffic init = aws.traffic();
        assertThat(clients.built()).noneMatch(c -> c instanceof Route53Client);

        wired.snapStart().beforeCheckpoint(null);
        wired.audit().flush();

        assertThat(aws.traffic()).as("requests and credential resolutions, the review key's read during INIT aside")
                .isEqualTo(init);
        assertThat(metrics.all()).isEmpty();
        assertThat(clients.built()).hasAtLeastOneElementOfType(DynamoDbClient.class)
                .hasAtLeastOneElementOfType(S3Client.class).hasAtLeastOneElementOfType(CloudWatchLogsClient.class)
                .hasAtLeastOneElementOfType(SnsClient.class).hasAtLeastOneElementOfType(Route53Client.class)
                .hasAtLeastOneElementOfType(CloudFrontClient.class).hasAtLeastOneElementOfType(AcmClient.class)
                .hasAtLeastOneElementOfType(CloudTrailClient.class)
                .hasAtLeastOneElementOfType(BedrockAgentRuntimeAsyncClient.class);
    }

    @Test
    void theHandler_keepsTheHooksOfItsProductionWiring() {
        MonitorHandler handler = new MonitorHandler(config(), aws.clients(config().aws()), Clock.systemUTC());

        handler.snapStart().beforeCheckpoint(null);
        handler.snapStart().afterRestore(null);

        assertThat(aws.requests()).as("only the review key's read during INIT").hasSize(1);
    }

    private MonitorConfig config() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", aws.endpoint());
        env.put("ALERTS_TABLE", "alerts");
        env.put("CONTROL_TABLE", "control");
        env.put("ARTIFACTS_BUCKET", "artifacts");
        env.put("TARGETS", "targets:\n  - url: https://www.example.com/\n");
        env.put("DNS_RESOLVERS", "127.0.0.1");
        env.put("NOTIFY_EMAIL_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:cloudops-notify");
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("REVIEW_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/key-AbCdEf");
        env.put("AUDIT_LOG_GROUP", "/aws/cloudops-agent/audit");
        env.put("BEDROCK_AGENT_ID", "AGENT12345");
        env.put("BEDROCK_AGENT_ALIAS_ID", "ALIAS12345");
        return MonitorConfig.from(env);
    }
}
