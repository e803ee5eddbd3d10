package dev.cloudops.execution;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import java.time.Instant;
import java.util.List;

/**
 * What an alert's audit trail says about its current execution: when it was claimed, and the steps AWS
 * accepted since (STEP_APPLIED, with the version each left). Any invocation can read it back: a later task
 * of the same execution, or the scheduled run that rolls back one cut short.
 */
final class ExecutionJournal {

    private ExecutionJournal() {
    }

    /** When the alert's current execution started (its last claim). */
    static Instant claimedAt(Alert alert) {
        return alert.audit().stream().filter(e -> e.action() == AuditAction.EXECUTION_STARTED)
                .map(AuditEvent::at).reduce((a, b) -> b).orElse(alert.timestamp());
    }

    /** The steps the execution started at {@code startedAt} journaled as applied, in order. */
    static List<AuditEvent> appliedSince(Alert alert, Instant startedAt) {
        return alert.audit().stream().filter(e -> e.action() == AuditAction.STEP_APPLIED && !e.at().isBefore(startedAt))
                .toList();
    }
}
