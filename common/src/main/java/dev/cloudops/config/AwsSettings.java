package dev.cloudops.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * Where the AWS clients point: the region ({@code AWS_REGION}, set by Lambda) and, for emulators, an
 * endpoint for every service ({@code AWS_ENDPOINT_URL}) or for one ({@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, ... as the AWS SDKs name them).
 */
public record AwsSettings(Region region, Optional<URI> endpoint, Map<String, URI> serviceEndpoints) {

    /** The services whose own endpoint variable is read: {@code AWS_ENDPOINT_URL_<ID>}. */
    public static final List<String> SERVICES =
            List.of("DYNAMODB", "S3", "SSM", "ROUTE_53", "CLOUDFRONT", "ACM", "CLOUDTRAIL", "SNS", "SECRETS_MANAGER",
                    "BEDROCK_AGENT_RUNTIME", "SESV2", "IAM", "CLOUDWATCH_LOGS", "SFN", "STS");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    public AwsSettings {
        serviceEndpoints = Map.copyOf(serviceEndpoints);
    }

    public AwsSettings(Region region, Optional<URI> endpoint) {
        this(region, endpoint, Map.of());
    }

    public static AwsSettings read(ConfigReader reader) {
        String region = reader.required("AWS_REGION", REGION, "an AWS region such as eu-west-1");
        Optional<URI> endpoint = reader.optionalUri("AWS_ENDPOINT_URL");
        Map<String, URI> services = new TreeMap<>();
        for (String service : SERVICES) {
            reader.optionalUri("AWS_ENDPOINT_URL_" + service).ifPresent(uri -> services.put(service, uri));
        }
        return new AwsSettings(region == null ? null : Region.of(region), endpoint, services);
    }

    /** The endpoint for one service ({@link #SERVICES} id): its own, else the shared one, else AWS's. */
    public Optional<URI> endpointFor(String service) {
        return Optional.ofNullable(serviceEndpoints.get(service)).or(() -> endpoint);
    }
}
