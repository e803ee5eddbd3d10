package dev.cloudops.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One step of an alert's lifecycle, as made by the {@link Alert} methods: the alert as it was read,
 * the alert as it will be, and the audit event that records the step. A store applies it only while
 * the stored alert still has {@code before}'s state and version.
 */
public record Transition(Alert before, Alert after, AuditEvent event) {

    public Transition {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(event, "event");
        if (!before.alertId().equals(after.alertId())) {
            throw new IllegalArgumentException("a transition cannot change the alert id");
        }
        if (after.version() != before.version() + 1) {
            throw new IllegalArgumentException("a transition raises the version by exactly one");
        }
        List<AuditEvent> expected = new ArrayList<>(before.audit());
        expected.add(event);
        if (!after.audit().equals(expected)) {
            throw new IllegalArgumentException("a transition appends exactly its own event to the audit trail");
        }
    }

    public String alertId() {
        return before.alertId();
    }
}
