package dev.cloudops.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a learned runbook may approve its own plan (issue 26): only its own proposal, for a LOW alert needing one
 * approval, with every step undoable, while it is active with the option set and enough verified successes; and the
 * execution's approval rules count such an approval only under the same conditions, whatever link mode allows.
 */
class AutoApprovalTest {

    private static final Instant AT = Instant.parse("2026-12-08T02:00:00Z");
    private static final String RUNBOOK_ID = "rb-" + "1".repeat(32);
    private static final PlanStep ENABLE = new PlanStep("S1", new Action.SetEnabled("E2ABCDEF123456", true),
            Precondition.of("E1", Map.of("enabled", "false")),
            new Inverse.Undo(new Action.SetEnabled("E2ABCDEF123456", false)), Risk.LOW,
            new Permission("cloudfront:UpdateDistribution", "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456"));
    private static final PlanStep MANUAL = new PlanStep("S2", new Action.ManualStep("Tell the team."), null,
            new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null);

    @Test
    void anActiveRunbook_withEnoughSuccesses_mayApproveItsLowProposal_andTheRulesCountIt() {
        Alert alert = proposed(Severity.LOW, RUNBOOK_ID, ENABLE);
        Runbook runbook = runbook(Runbook.Status.ACTIVE, 3, 3);

        assertThat(AutoApproval.refusal(runbook, alert)).isEmpty();
        Alert approved = AutoApproval.approve(runbook, alert, "f".repeat(64), AT).after();

        assertThat(approved.state()).isEqualTo(AlertState.APPROVED);
        Approval approval = approved.approvals().getFirst();
        assertThat(approval.subject()).isEqualTo("runbook:" + RUNBOOK_ID);
        assertThat(approval.by()).isEqualTo("runbook " + RUNBOOK_ID);
        assertThat(approval.role()).isEqualTo(AutoApproval.ROLE);
        assertThat(approval.policyHash()).isEqualTo("f".repeat(64));
        assertThat(approval.comment()).contains("3 verified successes", "auto-approval from 3", "set by lee");
        assertThat(AutoApproval.approvedByItsRunbook(approved)).isTrue();
        assertThat(AutoApproval.runbookOf(approval)).isEqualTo(RUNBOOK_ID);
        // Even where link holders may not approve LOW alerts, and LOW needs a named role: the runbook's own rule.
        ApprovalRules strict = new ApprovalRules(Map.of(Severity.LOW, Set.of("ops")),
                EnumSet.noneOf(Severity.class));
        assertThat(strict.problems(approved, approved.planHash(), "f".repeat(64))).isEmpty();
        assertThat(strict.problems(approved, approved.planHash(), "0".repeat(64))).anySatisfy(p -> assertThat(p)
                .contains("approved the session policy " + "f".repeat(64) + ", not the policy"));
    }

    @Test
    void theRunbooksRecord_mustAllowIt() {
        Alert alert = proposed(Severity.LOW, RUNBOOK_ID, ENABLE);

        assertThat(AutoApproval.refusal(runbook(Runbook.Status.ACTIVE, 0, 9), alert)).get().asString()
                .contains("auto-approval is off");
        assertThat(AutoApproval.refusal(runbook(Runbook.Status.CANDIDATE, 2, 9), alert)).get().asString()
                .contains("is a candidate, not active");
        assertThat(AutoApproval.refusal(runbook(Runbook.Status.ACTIVE, 5, 4), alert)).get().asString()
                .contains("has 4 verified successes; it approves by itself from 5");
        assertThat(AutoApproval.refusal(runbook(Runbook.Status.ACTIVE, 2, 9), proposed(Severity.LOW,
                "rb-" + "2".repeat(32), ENABLE))).get().asString().contains("did not propose this alert's plan");
    }

    @Test
    void theAlert_mustBeLow_needOneApproval_andHaveNoStepThatCannotBeUndone() {
        Runbook runbook = runbook(Runbook.Status.ACTIVE, 1, 9);

        assertThat(AutoApproval.refusal(runbook, proposed(Severity.MEDIUM, RUNBOOK_ID, ENABLE))).get().asString()
                .contains("only low alerts", "medium");
        assertThat(AutoApproval.refusal(runbook, proposed(Severity.LOW, RUNBOOK_ID, ENABLE, MANUAL))).get()
                .asString().contains("step S2 cannot be undone (not executed: for a person)");
        Alert twoNeeded = detected(Severity.LOW).analyze(analysis(RUNBOOK_ID, 2, ENABLE), Actor.system("analysis"),
                AT).after();
        assertThat(AutoApproval.refusal(runbook, twoNeeded)).get().asString().contains("needs 2 approvals");
    }

    @Test
    void theRules_refuseARunbooksApproval_ofAnotherRunbooksPlan_orOfAnAlertItMayNotApprove() {
        Alert alert = proposed(Severity.LOW, RUNBOOK_ID, ENABLE);
        Runbook other = new Runbook("rb-" + "3".repeat(32), template(), Runbook.Status.ACTIVE, "01JT", AT, 0, 9, null,
                null, 1, "lee", "pat", AT, 1);
        Alert byOther = alert.approve(Actor.system("runbook " + other.id()), "runbook:" + other.id(),
                AutoApproval.ROLE, null, alert.planHash(), AT).after();
        ApprovalRules rules = ApprovalRules.defaults();

        assertThat(rules.problems(byOther, byOther.planHash())).anySatisfy(p -> assertThat(p)
                .contains("may not approve this alert by itself: it is not the runbook that proposed the plan"));

        Alert withManual = proposed(Severity.LOW, RUNBOOK_ID, ENABLE, MANUAL);
        Alert forced = withManual.approve(Actor.system("runbook " + RUNBOOK_ID), "runbook:" + RUNBOOK_ID,
                AutoApproval.ROLE, null, withManual.planHash(), AT).after();
        assertThat(rules.problems(forced, forced.planHash())).anySatisfy(p -> assertThat(p)
                .contains("may not approve this alert by itself: step S2 cannot be undone"));
    }

    @Test
    void aLinkHolderTypingARunbooksName_isStillALinkHolder() {
        Alert alert = proposed(Severity.LOW, RUNBOOK_ID, ENABLE);
        Alert named = alert.approve(new Actor("runbook:" + RUNBOOK_ID, false, "203.0.113.9", "curl"),
                "name:runbook:" + RUNBOOK_ID, "link", null, alert.planHash(), AT).after();

        assertThat(AutoApproval.approvedByItsRunbook(named)).isFalse();
        assertThat(new ApprovalRules(ApprovalRules.defaults().roles(), EnumSet.noneOf(Severity.class))
                .problems(named, named.planHash())).anySatisfy(p -> assertThat(p).contains("not a verified identity"));
    }

    @Test
    void aRunbooksIrreversibleStep_isFoundInItsTemplate() {
        assertThat(runbook(Runbook.Status.ACTIVE, 0, 1).irreversibleStep()).isEmpty();
        RunbookTemplate withManual = new RunbookTemplate(IssueType.HTTP_ERROR, PlanJson.canonical(new Plan("s",
                List.of(ENABLE, MANUAL))), List.of(), List.of());
        assertThat(Runbook.candidate(withManual, "01JT", AT).irreversibleStep())
                .contains("S2 (not executed: for a person)");
    }

    private static RunbookTemplate template() {
        return new RunbookTemplate(IssueType.HTTP_ERROR, PlanJson.canonical(new Plan("s", List.of(ENABLE))),
                List.of(), List.of());
    }

    private static Runbook runbook(Runbook.Status status, int autoApproveAfter, int successes) {
        return new Runbook(RUNBOOK_ID, template(), status, "01JTAUGHT", AT, 2, successes, null, null,
                autoApproveAfter, "lee", status == Runbook.Status.ACTIVE ? "pat" : null,
                status == Runbook.Status.ACTIVE ? AT : null, 5);
    }

    private static Alert detected(Severity severity) {
        return Alert.detect("01JAUTO", AT, URI.create("https://shop.example.com/"), IssueType.HTTP_ERROR, severity,
                "HTTP 503", Actor.system("monitor"));
    }

    private static Alert proposed(Severity severity, String runbookId, PlanStep... steps) {
        return detected(severity).analyze(analysis(runbookId, 1, steps), Actor.system("analysis"), AT).after();
    }

    private static Analysis analysis(String runbookId, int required, PlanStep... steps) {
        Plan plan = new Plan("Enable the distribution.", List.of(steps));
        return new Analysis(Analyzer.RUNBOOK, null, "Proposed by runbook " + runbookId, null, null, null,
                PlanJson.canonical(plan), PlanJson.hash(plan), required, List.of(), null, null, runbookId);
    }
}
