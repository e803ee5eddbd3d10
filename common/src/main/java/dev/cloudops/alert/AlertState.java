package dev.cloudops.alert;

import java.util.Arrays;

/**
 * The one lifecycle of DESIGN.md section 2. Each state is stored as its pair of
 * {@code approval_status} and {@code execution_status}, so the original fields keep their meaning.
 */
public enum AlertState {
    DETECTED(ApprovalStatus.DETECTED, ExecutionStatus.NOT_STARTED, false),
    PENDING_APPROVAL(ApprovalStatus.PENDING_APPROVAL, ExecutionStatus.NOT_STARTED, false),
    APPROVED(ApprovalStatus.APPROVED, ExecutionStatus.NOT_STARTED, false),
    EXECUTING(ApprovalStatus.APPROVED, ExecutionStatus.EXECUTING, false),
    COMPLETED(ApprovalStatus.APPROVED, ExecutionStatus.COMPLETED, true),
    FAILED(ApprovalStatus.APPROVED, ExecutionStatus.FAILED, true),
    ROLLED_BACK(ApprovalStatus.APPROVED, ExecutionStatus.ROLLED_BACK, true),
    REJECTED(ApprovalStatus.REJECTED, ExecutionStatus.NOT_STARTED, true),
    EXPIRED(ApprovalStatus.EXPIRED, ExecutionStatus.NOT_STARTED, true),
    RESOLVED(ApprovalStatus.RESOLVED, ExecutionStatus.NOT_STARTED, true);

    private final ApprovalStatus approvalStatus;
    private final ExecutionStatus executionStatus;
    private final boolean terminal;

    AlertState(ApprovalStatus approvalStatus, ExecutionStatus executionStatus, boolean terminal) {
        this.approvalStatus = approvalStatus;
        this.executionStatus = executionStatus;
        this.terminal = terminal;
    }

    public ApprovalStatus approvalStatus() {
        return approvalStatus;
    }

    public ExecutionStatus executionStatus() {
        return executionStatus;
    }

    /** A terminal alert never changes state again; an open one still may. */
    public boolean isTerminal() {
        return terminal;
    }

    /** The state stored as this pair; throws when no state is stored that way. */
    public static AlertState of(ApprovalStatus approval, ExecutionStatus execution) {
        return Arrays.stream(values())
                .filter(s -> s.approvalStatus == approval && s.executionStatus == execution)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no alert state has approval_status " + approval + " with execution_status " + execution));
    }
}
