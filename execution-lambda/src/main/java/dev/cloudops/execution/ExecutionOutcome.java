package dev.cloudops.execution;

import dev.cloudops.alert.AlertState;
import java.time.Instant;

/** How handling one execute message ended. */
public sealed interface ExecutionOutcome {

    /** No such alert. */
    record NotFound(String alertId) implements ExecutionOutcome {
    }

    /** Not claimed: the alert is not APPROVED (a duplicate message, or it is running or over). A logged no-op. */
    record NotClaimed(String alertId, AlertState state) implements ExecutionOutcome {
    }

    /** Waits for its window, a running slot or a lock; runs again at {@code at}. */
    record Deferred(String alertId, Instant at, String reason) implements ExecutionOutcome {
    }

    /** Ended without changing anything (EXPIRED, RESOLVED) or after running (COMPLETED, FAILED, ROLLED_BACK). */
    record Finished(String alertId, AlertState state, String detail) implements ExecutionOutcome {
    }
}
