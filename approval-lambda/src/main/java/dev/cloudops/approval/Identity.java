package dev.cloudops.approval;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who is deciding: verified by the identity provider (Cognito claims, with groups), or only named on the
 * review page by someone holding the link (unverified, no groups). {@code subject} tells people apart: the
 * token's stable {@code sub} for a signed-in person (the same whichever token or name they come with), and
 * the typed name for a link holder, who has nothing better.
 */
public record Identity(String name, String subject, boolean verified, Set<String> groups, String sourceIp,
        String userAgent) {

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
        groups = Set.copyOf(groups);
    }

    /** A link holder, known only by the name they typed. */
    public static Identity named(String typedName, String sourceIp, String userAgent) {
        return new Identity(typedName, "name:" + typedName.toLowerCase(Locale.ROOT), false, Set.of(), sourceIp,
                userAgent);
    }
}
