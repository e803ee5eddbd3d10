package dev.cloudops.approval;

import java.util.Objects;
import java.util.Set;

/**
 * Who is deciding: verified by the identity provider (Cognito claims, with groups), or only named on the
 * review page by someone holding the link (unverified, no groups).
 */
public record Identity(String name, boolean verified, Set<String> groups, String sourceIp, String userAgent) {

    public Identity {
        Objects.requireNonNull(name, "name");
        groups = Set.copyOf(groups);
    }
}
