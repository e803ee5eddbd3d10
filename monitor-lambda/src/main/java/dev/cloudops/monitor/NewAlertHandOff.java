package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;

/**
 * Where a newly stored DETECTED alert goes next: analysed and announced in this invocation
 * ({@link AlertAnnouncer}, direct orchestration), or handed to its Step Functions workflow
 * ({@link WorkflowStarts}). Never throws for the alert's sake: what could not be done is in the outcome.
 */
interface NewAlertHandOff {

    /** The alert as it stands after the hand-off, and what could not be done for it (null when nothing). */
    record Outcome(Alert alert, String shortfall) {
    }

    Outcome handOff(Alert created);
}
