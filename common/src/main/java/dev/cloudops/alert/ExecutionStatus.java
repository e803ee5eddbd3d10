package dev.cloudops.alert;

/** The stored {@code execution_status}: the execution half of an alert's state. */
public enum ExecutionStatus {
    NOT_STARTED, EXECUTING, COMPLETED, FAILED, ROLLED_BACK
}
