package dev.cloudops.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The fair peer of a function's INIT (issue 21): a hand-written handler that only builds the SDK v2
 * clients the function builds, named in the system property {@code reference.clients} (service
 * interfaces, comma-separated, as {@link BuiltClients} finds them), with what the function gives them: one
 * URLConnection HTTP client with the same timeouts, the default credentials chain, the function's region
 * (the global services' own, as {@code AwsClients} sets them), S3 with cross-region access. No
 * configuration, no JSON, no tracing, no secret: what any Java function that uses these services pays.
 * Run with the function's own shipped jar on the classpath, so both load the same SDK classes.
 */
public final class ReferenceHandler implements RequestHandler<String, String> {

    private final List<SdkClient> clients = new ArrayList<>();

    public ReferenceHandler() throws ReflectiveOperationException {
        SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(30)).build();
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        Region home = Region.of(System.getenv("AWS_REGION"));
        for (String name : System.getProperty("reference.clients", "").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Object builder = Class.forName(name).getMethod("builder").invoke(null);
            if (!(builder instanceof SdkSyncClientBuilder<?, ?> sync)) {
                throw new IllegalArgumentException(name + " is not a synchronous client; the reference builds only those");
            }
            ((AwsClientBuilder<?, ?>) builder).region(region(name, home)).credentialsProvider(credentials);
            sync.httpClient(http);
            if (name.equals("software.amazon.awssdk.services.s3.S3Client")) {
                // as the function's: buckets in any region, followed by the SDK
                ((software.amazon.awssdk.services.s3.S3BaseClientBuilder<?, ?>) builder).crossRegionAccessEnabled(true);
            }
            clients.add((SdkClient) ((SdkBuilder<?, ?>) builder).build());
        }
    }

    /** As {@code AwsClients} sets them: Route 53, CloudFront and IAM are global; ACM and CloudTrail are read in us-east-1. */
    private static Region region(String service, Region home) {
        String s = service.substring("software.amazon.awssdk.services.".length());
        if (s.startsWith("route53.") || s.startsWith("cloudfront.") || s.startsWith("iam.")) {
            return Region.AWS_GLOBAL;
        }
        if (s.startsWith("acm.") || s.startsWith("cloudtrail.")) {
            return Region.US_EAST_1;
        }
        return home;
    }

    @Override
    public String handleRequest(String input, Context context) {
        return clients.size() + " clients";
    }
}
