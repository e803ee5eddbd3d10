package dev.cloudops.runbook;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.Transition;
import java.time.Instant;
import java.util.Optional;

/**
 * A learned runbook approving its own plan for a LOW alert, an option a verified person sets per runbook on the
 * review portal ({@link Runbook#autoApproveAfter}, off by default). It applies only while the runbook is active, has
 * at least that many verified successes, proposed the alert's plan, and the alert allows it
 * ({@link ApprovalRules#autoApprovalRefusal}: LOW, one approval, no irreversible step). The monitor checks this
 * before it approves, and the execution checks it again with the runbook read afresh before anything runs, so a
 * runbook demoted or switched off in between approves nothing.
 */
public final class AutoApproval {

    /** The role an auto-approval is recorded under. */
    public static final String ROLE = "auto-approval";

    private AutoApproval() {
    }

    /** Why {@code runbook} may not approve {@code alert}'s plan by itself now; empty when it may. */
    public static Optional<String> refusal(Runbook runbook, Alert alert) {
        if (!runbook.id().equals(alert.runbookId())) {
            return Optional.of("runbook " + runbook.id() + " did not propose this alert's plan");
        }
        if (runbook.status() != Runbook.Status.ACTIVE) {
            return Optional.of("runbook " + runbook.id() + " is a candidate, not active");
        }
        if (runbook.autoApproveAfter() == 0) {
            return Optional.of("auto-approval is off for runbook " + runbook.id());
        }
        if (runbook.verifiedSuccesses() < runbook.autoApproveAfter()) {
            return Optional.of("runbook " + runbook.id() + " has " + runbook.verifiedSuccesses()
                    + " verified successes; it approves by itself from " + runbook.autoApproveAfter());
        }
        return ApprovalRules.autoApprovalRefusal(alert);
    }

    /** Whether {@code approval} is a runbook's own. */
    public static boolean isRunbooks(Approval approval) {
        return approval.subject() != null && approval.subject().startsWith(ApprovalRules.RUNBOOK_SUBJECT);
    }

    /** Whether {@code alert} is approved, and by its runbook alone. */
    public static boolean approvedByItsRunbook(Alert alert) {
        return alert.state() == AlertState.APPROVED && !alert.approvals().isEmpty()
                && alert.approvals().stream().allMatch(AutoApproval::isRunbooks);
    }

    /** The runbook id an auto-approval names. */
    public static String runbookOf(Approval approval) {
        return approval.subject().substring(ApprovalRules.RUNBOOK_SUBJECT.length());
    }

    /**
     * The approval of {@code alert}'s plan by {@code runbook} itself (the caller has found no {@link #refusal}),
     * naming {@code policyHash}, the session policy the execution would run with (null when none).
     */
    public static Transition approve(Runbook runbook, Alert alert, String policyHash, Instant at) {
        String comment = "approved by runbook " + runbook.id() + " by itself: " + runbook.verifiedSuccesses()
                + " verified successes, auto-approval from " + runbook.autoApproveAfter() + " set by "
                + (runbook.autoApprovalBy() == null ? "nobody recorded" : runbook.autoApprovalBy());
        return alert.approve(Actor.system("runbook " + runbook.id()), ApprovalRules.RUNBOOK_SUBJECT + runbook.id(),
                ROLE, comment, alert.planHash(), policyHash, at);
    }
}
