package dev.cloudops.aws;

import dev.cloudops.CloudopsException;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.trace.Tracing;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The only place SDK clients are built: explicit region, one shared URLConnection HTTP client (no
 * Apache or Netty on the classpath), the emulator endpoint when one is configured, and the tracing every
 * call is recorded in.
 */
public final class AwsClients implements AutoCloseable {

    private final AwsSettings settings;
    private final AwsCredentialsProvider credentials;
    private final Tracing tracing;
    private final SdkHttpClient http;
    private final List<SdkClient> built;
    private SecretsManagerClient secrets; // built on the first secret read, then shared

    /** Clients whose calls are not traced (the local runner, tests). */
    public AwsClients(AwsSettings settings, AwsCredentialsProvider credentials) {
        this(settings, credentials, Tracing.NONE);
    }

    public AwsClients(AwsSettings settings, AwsCredentialsProvider credentials, Tracing tracing) {
        this(settings, credentials, tracing, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(30))
                .build(), new CopyOnWriteArrayList<>());
    }

    private AwsClients(AwsSettings settings, AwsCredentialsProvider credentials, Tracing tracing, SdkHttpClient http,
            List<SdkClient> built) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.http = http;
        this.built = built;
    }

    /**
     * Clients of the same settings, tracing and HTTP client that sign with {@code other} (the execution's step
     * executors sign with a session scoped to the approved plan). The clients it builds count among this
     * instance's {@link #built()} (SnapStart primes them with dry-run credentials of its own). Close this instance,
     * not the one returned.
     */
    public AwsClients signedWith(AwsCredentialsProvider other) {
        return new AwsClients(settings, other, tracing, http, built);
    }

    /**
     * Clients with the default credentials chain (the function's role in Lambda; under SnapStart its
     * container credentials), renewable by {@link #renewCredentials()}, traced by {@code tracing}.
     */
    public static AwsClients withDefaultCredentials(AwsSettings settings, Tracing tracing) {
        return new AwsClients(settings, new RenewableCredentials(() -> DefaultCredentialsProvider.builder().build()),
                tracing);
    }

    /** The tracing these clients record their calls in; the function's steps are recorded in it too. */
    public Tracing tracing() {
        return tracing;
    }

    /**
     * After a SnapStart restore: drops credentials resolved before the snapshot, so the next request
     * resolves its own. Nothing to do for fixed credentials.
     */
    public void renewCredentials() {
        if (credentials instanceof RenewableCredentials renewable) {
            renewable.renew();
        }
    }

    public DynamoDbClient dynamoDb() {
        return track(configured(DynamoDbClient.builder(), "DYNAMODB").build());
    }

    public S3Client s3() {
        var builder = configured(S3Client.builder(), "S3");
        // Emulators serve buckets as paths, not as host names.
        settings.endpointFor("S3").ifPresent(endpoint -> builder.forcePathStyle(true));
        // Origin buckets live in any region; follow S3 to the right one.
        builder.crossRegionAccessEnabled(true);
        return track(builder.build());
    }

    public SsmClient ssm() {
        return track(configured(SsmClient.builder(), "SSM").build());
    }

    public SnsClient sns() {
        return track(configured(SnsClient.builder(), "SNS").build());
    }

    /** Step Functions: the alert workflow's starts and the approval step's answers. */
    public SfnClient sfn() {
        return track(configured(SfnClient.builder(), "SFN").build());
    }

    public SesV2Client sesV2() {
        return track(configured(SesV2Client.builder(), "SESV2").build());
    }

    /** CloudWatch Logs, for the audit log. */
    public CloudWatchLogsClient logs() {
        return track(configured(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS").build());
    }

    public SecretsManagerClient secretsManager() {
        return track(configured(SecretsManagerClient.builder(), "SECRETS_MANAGER").build());
    }

    /**
     * A secret's string value (trimmed), read while a function initialises; never logged. A secret stored as
     * binary (GetSecretValue answers SecretBinary and no SecretString) is refused by its ARN, so the
     * initialisation fails saying which secret to fix; Secrets Manager's own errors (a missing secret is
     * ResourceNotFoundException) propagate as they are.
     */
    public synchronized String secret(String arn) {
        if (secrets == null) {
            secrets = secretsManager();
        }
        String value = secrets.getSecretValue(b -> b.secretId(arn)).secretString();
        if (value == null) {
            throw new CloudopsException("the secret " + arn + " has no SecretString (it is stored as binary);"
                    + " store the value as text");
        }
        return value.trim();
    }

    /** Route 53 is a global service, signed for us-east-1. */
    public Route53Client route53() {
        return track(configured(Route53Client.builder(), "ROUTE_53").region(Region.AWS_GLOBAL).build());
    }

    /** CloudFront is a global service, signed for us-east-1. */
    public CloudFrontClient cloudFront() {
        return track(configured(CloudFrontClient.builder(), "CLOUDFRONT").region(Region.AWS_GLOBAL).build());
    }

    /** ACM in us-east-1, the only region whose certificates CloudFront can serve. */
    public AcmClient acmForCloudFront() {
        return track(configured(AcmClient.builder(), "ACM").region(Region.US_EAST_1).build());
    }

    /** IAM is a global service; used to simulate the execution role's permissions before changing anything. */
    public IamClient iam() {
        return track(configured(IamClient.builder(), "IAM").region(Region.AWS_GLOBAL).build());
    }

    /** STS in the function's region (the SDK's regional endpoint): the executor role's plan-scoped sessions. */
    public StsClient sts() {
        return track(configured(StsClient.builder(), "STS").build());
    }

    /** CloudTrail in us-east-1, where the management events of global services (Route 53, CloudFront) land. */
    public CloudTrailClient cloudTrailForGlobalServices() {
        return track(configured(CloudTrailClient.builder(), "CLOUDTRAIL").region(Region.US_EAST_1).build());
    }

    /**
     * The Bedrock agent runtime. InvokeAgent exists only on the async client; it gets the JDK's HTTP
     * client (no Netty, no native library on the classpath). Callers close it.
     */
    public BedrockAgentRuntimeAsyncClient bedrockAgentRuntime() {
        var builder = BedrockAgentRuntimeAsyncClient.builder()
                .region(settings.region())
                .credentialsProvider(credentials)
                .httpClientBuilder(JdkAsyncHttpClient.builder(Duration.ofSeconds(3)))
                .overrideConfiguration(traced());
        withDryRunStop(builder);
        settings.endpointFor("BEDROCK_AGENT_RUNTIME").ifPresent(builder::endpointOverride);
        return track(builder.build());
    }

    /**
     * Region, credentials, the shared HTTP client, the emulator endpoint and the {@link DryRun} stop: the
     * same for every client.
     */
    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configured(B builder, String service) {
        builder.region(settings.region()).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(traced());
        withDryRunStop(builder);
        settings.endpointFor(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    /** Every call recorded as a subsegment of the invocation's trace (no interceptor without tracing). */
    private ClientOverrideConfiguration traced() {
        return ClientOverrideConfiguration.builder().executionInterceptors(tracing.sdkInterceptors()).build();
    }

    /**
     * Adds the {@link DryRun} interceptor to what the builder's override configuration already holds (a
     * second {@code overrideConfiguration(o -> ...)} call would replace the first, interceptors included).
     */
    private static void withDryRunStop(SdkClientBuilder<?, ?> builder) {
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(DryRun.INTERCEPTOR).build());
    }

    /** Every client built so far by this instance (SnapStart priming dry-runs each). */
    public List<SdkClient> built() {
        return List.copyOf(built);
    }

    private <C extends SdkClient> C track(C client) {
        built.add(client);
        return client;
    }

    public S3Presigner s3Presigner() {
        var builder = S3Presigner.builder()
                .region(settings.region())
                .credentialsProvider(credentials);
        settings.endpointFor("S3").ifPresent(endpoint -> builder.endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    /** Closes the shared HTTP client; clients made by this instance stop working. */
    @Override
    public void close() {
        http.close();
    }
}
