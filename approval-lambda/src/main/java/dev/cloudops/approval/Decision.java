package dev.cloudops.approval;

import dev.cloudops.alert.Alert;

/** Every outcome a decision request can have; handlers map each to its HTTP status. */
public sealed interface Decision {

    /**
     * Approved for good; execution was triggered if there is a plan, unless {@code retryNeeded}: the execute
     * message could not be published, and the alert records that the execution is still to be started.
     */
    record Approved(Alert alert, boolean retryNeeded) implements Decision {

        public Approved(Alert alert) {
            this(alert, false);
        }
    }

    /** One approval recorded; {@code stillNeeded} more from other people. */
    record PartiallyApproved(Alert alert, int stillNeeded) implements Decision {
    }

    record Rejected(Alert alert) implements Decision {
    }

    /** Someone decided first (or the alert is closed); {@code alert} shows who and how. */
    record AlreadyDecided(Alert alert) implements Decision {
    }

    /** Not decidable yet: the analysis has not finished. */
    record NotReady(Alert alert) implements Decision {
    }

    /** Too old to decide; the alert is now EXPIRED. */
    record Expired(Alert alert) implements Decision {
    }

    record NotFound(String alertId) implements Decision {
    }

    /** The approval named a plan other than the alert's current one (the page was older); nothing changed. */
    record PlanChanged(Alert alert) implements Decision {
    }

    /**
     * The approval named a session policy other than the one approving the alert's plan grants now (or none where
     * one is granted): the page showed other grants than would be given; nothing changed.
     */
    record PolicyChanged(Alert alert) implements Decision {
    }

    /**
     * The plan cannot run with plan-scoped credentials ({@code reason}: its session policy would be too large, it
     * names a resource no policy can be scoped to, or it cannot be read), so it cannot be approved; it can still be
     * rejected. Nothing changed.
     */
    record Unapprovable(Alert alert, String reason) implements Decision {
    }

    /** This person may not decide this alert (role, verification, or approving twice). */
    record Forbidden(String reason) implements Decision {
    }
}
