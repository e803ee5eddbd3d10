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
    EXECUTION_STARTED,
    EXECUTION_DEFERRED,
    EXECUTION_FINISHED,
    NOTIFIED,
    NOTIFICATION_FAILED,
    DECISION_REFUSED,
    TOOL_REFUSED
}
