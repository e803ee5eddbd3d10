package dev.cloudops.plan;

import java.util.Objects;

/** The IAM action and resource ARN a step needs, e.g. {@code cloudfront:UpdateDistribution} on one distribution. */
public record Permission(String action, String resource) {

    public Permission {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
    }
}
