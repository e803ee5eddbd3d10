package dev.cloudops.alert;

/** What became of a {@link Transition}: applied, lost to a concurrent change, or no such alert. */
public sealed interface TransitionResult {

    /** The transition was stored; {@code alert} is the stored alert. */
    record Applied(Alert alert) implements TransitionResult {
    }

    /**
     * Another writer changed the alert first (its state or version no longer matched); {@code current}
     * is the alert as it is now, so the caller can tell what happened (e.g. already decided).
     */
    record Conflict(Alert current) implements TransitionResult {
    }

    /** No alert with that id is stored (never created, or removed by TTL). */
    record NotFound(String alertId) implements TransitionResult {
    }
}
