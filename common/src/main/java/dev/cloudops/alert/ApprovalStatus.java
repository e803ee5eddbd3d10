package dev.cloudops.alert;

/** The stored {@code approval_status}: the decision half of an alert's state. */
public enum ApprovalStatus {
    DETECTED, PENDING_APPROVAL, APPROVED, REJECTED, EXPIRED, RESOLVED
}
