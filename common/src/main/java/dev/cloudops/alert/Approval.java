package dev.cloudops.alert;

import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One person's approval of an alert's plan; a critical plan needs two from distinct people. {@code subject}
 * is who the person is to the identity provider (the token's stable {@code sub}; for an unverified link
 * holder, the typed name), and distinct people are told apart by it alone. {@code planHash} is the hash of
 * the plan shown to the person when they approved, which the executor checks against the plan it runs.
 */
public record Approval(String by, String subject, String role, boolean verified, Instant at, String comment,
        String planHash) {

    public Approval {
        Objects.requireNonNull(by, "by");
        at = Timestamps.stored(Objects.requireNonNull(at, "at"));
    }

    /** The key that tells people apart: the subject, or for records made before subjects were kept, the name. */
    public String person() {
        return subject != null ? subject : "name:" + by.toLowerCase(Locale.ROOT);
    }
}
