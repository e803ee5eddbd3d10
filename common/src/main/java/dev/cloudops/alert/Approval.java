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
 * {@code policyHash} is the SHA-256 of the session policy the page said approving grants (null when the
 * deployment names no executor role, or the plan makes no AWS call); the executor runs only with that policy.
 */
public record Approval(String by, String subject, String role, boolean verified, Instant at, String comment,
        String planHash, String policyHash) {

    public Approval {
        Objects.requireNonNull(by, "by");
        at = Timestamps.stored(Objects.requireNonNull(at, "at"));
    }

    /** An approval with no session policy shown (records made before grants were shown, or none to show). */
    public Approval(String by, String subject, String role, boolean verified, Instant at, String comment,
            String planHash) {
        this(by, subject, role, verified, at, comment, planHash, null);
    }

    /** The key that tells people apart: the subject, or for records made before subjects were kept, the name. */
    public String person() {
        return subject != null ? subject : "name:" + by.toLowerCase(Locale.ROOT);
    }
}
