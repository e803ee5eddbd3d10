package dev.cloudops.orchestration;

import java.util.Optional;

/**
 * The handles of an alert's workflow, kept on the alert itself (the alert stays the source of truth): the
 * Step Functions execution ARN, and the task token of the approval step while it waits. The token lets
 * whoever holds it decide the workflow, so it lives only here: never in a link, a page, a notification or
 * a log line.
 */
public interface WorkflowHandles {

    /** What is recorded for one alert; either field may be null. */
    record Handles(String executionArn, String taskToken) {

        @Override
        public String toString() {
            return "Handles[executionArn=" + executionArn + ", taskToken=" + (taskToken == null ? "none" : "(set)") + "]";
        }
    }

    /** Records the workflow's execution ARN on the alert; false when there is no such alert. */
    boolean recordExecution(String alertId, String executionArn);

    /**
     * Stores the approval step's token with one conditional write that holds only while the alert waits
     * for a decision (PENDING_APPROVAL); false when it does not (already decided, expired, or gone).
     */
    boolean storeTaskToken(String alertId, String taskToken);

    /** The handles of the alert, read consistently; empty when there is no such alert. */
    Optional<Handles> find(String alertId);

    /** Removes the token, only if it is still {@code taskToken} (a later wait's token is kept). */
    void clearTaskToken(String alertId, String taskToken);
}
