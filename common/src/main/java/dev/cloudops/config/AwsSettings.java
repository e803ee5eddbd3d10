package dev.cloudops.config;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * Where the AWS clients point: the region ({@code AWS_REGION}, set by Lambda) and, for emulators, one
 * endpoint for every service ({@code AWS_ENDPOINT_URL}).
 */
public record AwsSettings(Region region, Optional<URI> endpoint) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    public static AwsSettings read(ConfigReader reader) {
        String region = reader.required("AWS_REGION", REGION, "an AWS region such as eu-west-1");
        Optional<URI> endpoint = reader.optionalUri("AWS_ENDPOINT_URL");
        return new AwsSettings(region == null ? null : Region.of(region), endpoint);
    }
}
