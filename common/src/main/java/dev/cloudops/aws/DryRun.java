package dev.cloudops.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Requests that go through an SDK client's whole request path (endpoint rules, marshalling, signing with
 * throwaway credentials) and stop just before its HTTP client: SnapStart priming without a network call.
 * Only requests carrying {@link #override()} are stopped; every other request is left alone.
 */
public final class DryRun {

    private static final ExecutionAttribute<Boolean> MARK = new ExecutionAttribute<>("CloudopsDryRun");
    private static final String TABLE = "cloudops-dry-run";
    private static final String BUCKET = "cloudops-dry-run";
    private static final String ACCOUNT = "000000000000";

    /** Carried by every client {@link AwsClients} builds: stops marked requests before they are sent. */
    static final ExecutionInterceptor INTERCEPTOR = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (Boolean.TRUE.equals(attributes.getAttribute(MARK))) {
                throw new NotSent();
            }
        }
    };

    private DryRun() {
    }

    /** The request override that makes a request a dry run. */
    public static AwsRequestOverrideConfiguration override() {
        return Marked.OVERRIDE;
    }

    /** Built on the first dry run, not when the interceptor is (during INIT, with every client). */
    private static final class Marked {
        /** Never resolves the client's own credentials; and AWS would refuse these if a request ever left. */
        static final AwsRequestOverrideConfiguration OVERRIDE = AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("DRYRUNNEVERSENT", "dry-run-never-sent")))
                .putExecutionAttribute(MARK, Boolean.TRUE)
                .build();
    }

    /**
     * Runs {@code request}, which makes one request with {@link #override()}, and returns once that request
     * was stopped unsent. Throws if it was not (it failed earlier, or it was not a dry run).
     */
    public static void run(String what, Runnable request) {
        try {
            request.run();
        } catch (RuntimeException e) {
            if (stoppedUnsent(e)) {
                return;
            }
            throw new IllegalStateException("dry run of " + what + " failed before reaching the HTTP client", e);
        }
        throw new IllegalStateException("dry run of " + what + " was not stopped: it carried no dry-run override");
    }

    /**
     * One dry run of the requests each kind of client makes for us (the reads and writes of the functions'
     * adapters), warming that client's protocol, endpoint rules and signer.
     */
    public static void of(SdkClient client) {
        // By service name, not by type: each function ships only the service modules it calls, and a type
        // test would load them all.
        switch (client.serviceName()) {
            case DynamoDbClient.SERVICE_NAME -> dynamoDb((DynamoDbClient) client);
            case S3Client.SERVICE_NAME -> s3((S3Client) client);
            case SnsClient.SERVICE_NAME -> sns((SnsClient) client);
            case CloudWatchLogsClient.SERVICE_NAME -> logs((CloudWatchLogsClient) client);
            case SecretsManagerClient.SERVICE_NAME -> secretsManager((SecretsManagerClient) client);
            case SsmClient.SERVICE_NAME -> ssm((SsmClient) client);
            case SesV2Client.SERVICE_NAME -> ses((SesV2Client) client);
            case Route53Client.SERVICE_NAME -> route53((Route53Client) client);
            case CloudFrontClient.SERVICE_NAME -> cloudFront((CloudFrontClient) client);
            case AcmClient.SERVICE_NAME -> acm((AcmClient) client);
            case CloudTrailClient.SERVICE_NAME -> cloudTrail((CloudTrailClient) client);
            case IamClient.SERVICE_NAME -> iam((IamClient) client);
            case StsClient.SERVICE_NAME -> sts((StsClient) client);
            case BedrockAgentRuntimeAsyncClient.SERVICE_NAME -> bedrock((BedrockAgentRuntimeAsyncClient) client);
            default -> throw new IllegalArgumentException("no dry run for " + client.serviceName() + " clients");
        }
    }

    private static void dynamoDb(DynamoDbClient c) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("dry-run"));
        run("DynamoDB GetItem", () -> c.getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)
                .overrideConfiguration(override())));
        run("DynamoDB PutItem", () -> c.putItem(b -> b.tableName(TABLE).item(key)
                .conditionExpression("attribute_not_exists(pk)").overrideConfiguration(override())));
        run("DynamoDB UpdateItem", () -> c.updateItem(b -> b.tableName(TABLE).key(key)
                .updateExpression("SET #v = :v").conditionExpression("#v < :v")
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1")))
                .overrideConfiguration(override())));
        run("DynamoDB Query", () -> c.query(b -> b.tableName(TABLE).indexName("dry-run-index")
                .keyConditionExpression("pk = :v").expressionAttributeValues(Map.of(":v",
                        AttributeValue.fromS("dry-run"))).limit(1).overrideConfiguration(override())));
    }

    private static void s3(S3Client c) {
        run("S3 GetObject", () -> c.getObjectAsBytes(b -> b.bucket(BUCKET).key("dry-run.json")
                .overrideConfiguration(override())));
        run("S3 PutObject", () -> c.putObject(b -> b.bucket(BUCKET).key("dry-run.json")
                .contentType("application/json").overrideConfiguration(override()), RequestBody.fromString("{}")));
    }

    private static void sns(SnsClient c) {
        run("SNS Publish", () -> c.publish(b -> b.topicArn("arn:aws:sns:us-east-1:" + ACCOUNT + ":dry-run")
                .subject("dry run").message("{}").overrideConfiguration(override())));
    }

    private static void logs(CloudWatchLogsClient c) {
        run("CloudWatch Logs PutLogEvents", () -> c.putLogEvents(b -> b.logGroupName("dry-run")
                .logStreamName("dry-run").logEvents(e -> e.timestamp(Instant.EPOCH.toEpochMilli()).message("{}"))
                .overrideConfiguration(override())));
    }

    private static void secretsManager(SecretsManagerClient c) {
        run("Secrets Manager GetSecretValue", () -> c.getSecretValue(b -> b.secretId("dry-run")
                .overrideConfiguration(override())));
    }

    private static void ssm(SsmClient c) {
        run("SSM GetParameter", () -> c.getParameter(b -> b.name("/cloudops/dry-run").overrideConfiguration(override())));
    }

    private static void ses(SesV2Client c) {
        run("SES SendEmail", () -> c.sendEmail(b -> b.fromEmailAddress("dry-run@example.com")
                .destination(d -> d.toAddresses("dry-run@example.com"))
                .content(m -> m.simple(s -> s.subject(t -> t.data("dry run")).body(x -> x.html(h -> h.data("-")))))
                .overrideConfiguration(override())));
    }

    private static void route53(Route53Client c) {
        run("Route 53 ListResourceRecordSets", () -> c.listResourceRecordSets(b -> b.hostedZoneId("Z0DRYRUN")
                .startRecordName("dry-run.example.com").maxItems("1").overrideConfiguration(override())));
    }

    private static void cloudFront(CloudFrontClient c) {
        run("CloudFront GetDistribution", () -> c.getDistribution(b -> b.id("EDRYRUN").overrideConfiguration(override())));
    }

    private static void acm(AcmClient c) {
        run("ACM DescribeCertificate", () -> c.describeCertificate(b -> b.certificateArn(
                "arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/dry-run").overrideConfiguration(override())));
    }

    private static void cloudTrail(CloudTrailClient c) {
        run("CloudTrail LookupEvents", () -> c.lookupEvents(b -> b.maxResults(1)
                .lookupAttributes(a -> a.attributeKey("ResourceName").attributeValue("dry-run"))
                .overrideConfiguration(override())));
    }

    private static void iam(IamClient c) {
        run("IAM SimulatePrincipalPolicy", () -> c.simulatePrincipalPolicy(b -> b
                .policySourceArn("arn:aws:iam::" + ACCOUNT + ":role/dry-run").actionNames(List.of("route53:GetChange"))
                .overrideConfiguration(override())));
        run("IAM SimulateCustomPolicy", () -> c.simulateCustomPolicy(b -> b
                .policyInputList("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .actionNames(List.of("route53:GetChange")).overrideConfiguration(override())));
    }

    private static void sts(StsClient c) {
        run("STS AssumeRole", () -> c.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/dry-run")
                .roleSessionName("dry-run").policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .durationSeconds(900).overrideConfiguration(override())));
    }

    private static void bedrock(BedrockAgentRuntimeAsyncClient c) {
        run("Bedrock InvokeAgent", () -> c.invokeAgent(b -> b.agentId("DRYRUN").agentAliasId("DRYRUN")
                .sessionId("dry-run").inputText("dry run").overrideConfiguration(override()),
                InvokeAgentResponseHandler.builder().subscriber(e -> { }).build()).join());
    }

    private static boolean stoppedUnsent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NotSent) {
                return true;
            }
        }
        return false;
    }

    /** Thrown where a dry run stops; never seen outside {@link #run}. */
    private static final class NotSent extends RuntimeException {
        NotSent() {
            super("dry run: stopped before the HTTP client", null, false, false);
        }
    }
}
