package dev.cloudops.alert;

/** What an audit event records. */
public enum AuditAction {
    DETECTED,
    ANALYZED,
    APPROVAL_RECORDED,
    APPROVED,
    REJECTED,
    EXPIRED,
    RECOVERED,
    /**
     * The execute message of an approval could not be published: the approval stands, and the execution is still
     * to be started by publishing the message again (the event says which).
     */
    EXECUTION_TRIGGER_FAILED,
    EXECUTION_STARTED,
    /** A plan step AWS accepted: the execution's journal, so a run cut short can be rolled back later. */
    STEP_APPLIED,
    /** A scheduled run took over an execution cut short (past its deadline) to roll it back. */
    EXECUTION_TAKEN_OVER,
    EXECUTION_DEFERRED,
    /** A plan of steps for a person only: nothing was run, and the alert waits for the target to recover. */
    HANDED_OVER,
    EXECUTION_FINISHED,
    NOTIFIED,
    NOTIFICATION_FAILED,
    DECISION_REFUSED,
    TOOL_REFUSED,
    /** A person promoted a learned runbook from candidate to active; recorded under the runbook's id, not an alert's. */
    RUNBOOK_PROMOTED,
    /** A refused attempt to promote a learned runbook (who, from where, why); recorded under the runbook's id. */
    RUNBOOK_PROMOTION_REFUSED,
    /** A person set from how many verified successes a runbook approves LOW alerts by itself (0: never). */
    RUNBOOK_AUTO_APPROVAL_SET,
    /** A refused attempt to set a runbook's auto-approval (who, from where, why); recorded under the runbook's id. */
    RUNBOOK_AUTO_APPROVAL_REFUSED
}
