package dev.cloudops.alert;

import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.Objects;

/** One person's approval of an alert's plan; a critical plan needs two from distinct people. */
public record Approval(String by, String role, boolean verified, Instant at, String comment) {

    public Approval {
        Objects.requireNonNull(by, "by");
        at = Timestamps.stored(Objects.requireNonNull(at, "at"));
    }
}
