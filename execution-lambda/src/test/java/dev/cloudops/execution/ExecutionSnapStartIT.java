package dev.cloudops.execution;

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
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The execution function's SnapStart hooks with its production wiring (agent mode, a notification channel,
 * the audit log), every AWS service played by one server that records any request.
 */
class ExecutionSnapStartIT {

    @RegisterExtension
    final RecordingAws aws = new RecordingAws();

    @Test
    void beforeCheckpoint_buildsTheExecutorsClients_andPrimesEveryClient_withoutANetworkCallOrAChange() {
        AwsClients clients = aws.clients(config().aws());
        RecordingMetrics metrics = new RecordingMetrics();
        ExecutionWiring.Wired wired = ExecutionWiring.wire(config(), clients, metrics, Clock.systemUTC());
        RecordingAws.Traffic init = aws.traffic();
        assertThat(clients.built()).noneMatch(c -> c instanceof Route53Client);
        assertThat(wired.executor().isBuilt()).isFalse();

        wired.snapStart().beforeCheckpoint(null);
        wired.audit().flush();

        assertThat(aws.traffic()).as("requests and credential resolutions").isEqualTo(init);
        assertThat(metrics.all()).isEmpty();
        assertThat(clients.built()).hasAtLeastOneElementOfType(S3Client.class)
                .hasAtLeastOneElementOfType(Route53Client.class).hasAtLeastOneElementOfType(CloudFrontClient.class)
                .hasAtLeastOneElementOfType(AcmClient.class).hasAtLeastOneElementOfType(IamClient.class)
                .hasAtLeastOneElementOfType(BedrockAgentRuntimeAsyncClient.class);
        assertThat(wired.executor().isBuilt()).isTrue();
    }

    @Test
    void theHandler_keepsTheHooksOfItsProductionWiring() {
        ExecutionHandler handler = new ExecutionHandler(ExecutionWiring.wire(config(), aws.clients(config().aws()),
                new RecordingMetrics(), Clock.systemUTC()), Clock.systemUTC());

        handler.snapStart().beforeCheckpoint(null);
        handler.snapStart().afterRestore(null);

        assertThat(aws.requests()).as("none: the signing key is read when the first link is made").isEmpty();
    }

    private ExecutionConfig config() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL", aws.endpoint());
        env.put("ALERTS_TABLE", "alerts");
        env.put("ARTIFACTS_BUCKET", "artifacts");
        env.put("CONTROL_TABLE", "control");
        env.put("EXECUTOR_ROLE_ARN", "arn:aws:iam::123456789012:role/cloudops-execution");
        env.put("EXECUTION_MODE", "agent");
        env.put("BEDROCK_AGENT_ID", "AGENT12345");
        env.put("BEDROCK_AGENT_ALIAS_ID", "ALIAS12345");
        env.put("DNS_RESOLVERS", "127.0.0.1");
        env.put("NOTIFY_EMAIL_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-notify");
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("REVIEW_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/key-AbCdEf");
        env.put("AUDIT_LOG_GROUP", "/aws/cloudops-agent/audit");
        return ExecutionConfig.from(env);
    }
}
