package dev.cloudops.deploy;

import static dev.cloudops.deploy.ShippedJars.encode;
import static dev.cloudops.deploy.ShippedJars.event;
import static dev.cloudops.deploy.ShippedJars.field;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.PlanChecks;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.EmulatedAccount;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import dev.cloudops.testing.ShippedFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The learned-runbook loop of issue 26, end to end through the three shipped function jars (each in its own JVM,
 * as in {@link ShippedJarsIT}, direct orchestration) against the emulated account, whose site's distribution is
 * disabled: the monitor raises an alert and the rule engine plans the fix from the evidence it collected; a person
 * approves it on the review link; the execution function runs it, the site heals, and the verified plan is stored as
 * a runbook candidate taught by that alert. A signed-in admin promotes the candidate on the portal (Cognito mode, as
 * API Gateway's JWT authorizer hands the function the claims). When the same incident recurs (the distribution
 * disabled again, with a new ETag), the monitor's analysis of the new alert is the runbook's plan bound to the new
 * evidence, which is the plan the rule engine would have made; approved and run, it counts as the runbook's second
 * verified success.
 */
@ExtendWith(Emulators.class)
class RunbookLoopIT {

    private static final String ADMIN_SUB = "sub-admin-1";
    private static final String ADMIN = "alice@example.com";
    private static final String ETAG_AGAIN = "E3DISABLEDAGAIN";

    private static EmulatedAccount account;
    private static RunbookStore runbooks;
    private static ShippedFunction monitor;
    private static ShippedFunction approval;
    private static ShippedFunction portal;
    private static ShippedFunction execution;

    @BeforeAll
    static void start(Dynalite dynalite, S3Emulator s3) {
        account = new EmulatedAccount(dynalite, s3);
        Map<String, String> monitorEnv = new HashMap<>(account.monitorEnvironment());
        monitorEnv.put("TARGETS", "targets:\n  - url: " + account.hostUrl("/switch") + "\n    failures_before_alert: 1\n");
        String control = monitorEnv.get("CONTROL_TABLE");
        runbooks = new DynamoDbRunbookStore(dynalite.client(), control);
        Map<String, String> portalEnv = new HashMap<>(account.approvalEnvironment());
        portalEnv.putAll(Map.of("AUTH_MODE", "cognito", "CONTROL_TABLE", control,
                "AUDIT_LOG_GROUP", EmulatedAccount.AUDIT_LOG_GROUP));
        monitor = ShippedJars.start("MonitorFunction", "monitor-lambda", monitorEnv);
        approval = ShippedJars.start("ApprovalFunction", "approval-lambda", account.approvalEnvironment());
        portal = ShippedJars.start("ApprovalFunction", "approval-lambda", portalEnv);
        execution = ShippedJars.start("ExecutionFunction", "execution-lambda", account.executionEnvironment());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {monitor, approval, portal, execution, account}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next resource is still closed
            }
        }
    }

    @Test
    void aVerifiedFix_promotedByAnAdmin_isProposedByItsRunbookWhenTheIncidentRecurs_andVerifiedAgain() {
        account.reset(false);

        // 1. The monitor raises an alert for the failing site; the rule engine plans from the AWS evidence.
        Alert first = raise();
        EvidencePack firstPack = evidence(first);
        assertThat(first.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(first.runbookId()).isNull();
        assertThat(firstPack.alertId()).isEqualTo(first.alertId());
        assertThat(firstPack.host()).isEqualTo(EmulatedAccount.HOST);
        assertThat(plan(first.plan()).executable()).isTrue();
        assertThat(plan(first.plan()).steps()).singleElement().satisfies(step -> assertThat(step.action())
                .isEqualTo(new Action.SetEnabled(EmulatedAccount.DISTRIBUTION, true)));
        assertThat(first.plan()).contains(EmulatedAccount.ETAG);

        // 2. A person approves it on the review link; the execute message is published.
        String message = approve(first);

        // 3. The execution runs the plan, the site heals, and the verified plan is a runbook candidate.
        assertThat(execute(first, message)).isEqualTo("COMPLETED");
        assertThat(account.alerts().find(first.alertId()).orElseThrow().state()).isEqualTo(AlertState.COMPLETED);
        List<Runbook> taught = runbooks.list(Runbook.Status.CANDIDATE, 100).stream()
                .filter(r -> r.taughtBy().equals(first.alertId())).toList();
        assertThat(taught).hasSize(1);
        Runbook candidate = taught.getFirst();
        assertThat(candidate.verifiedSuccesses()).isEqualTo(1);
        assertThat(candidate.uses()).isZero();
        assertThat(candidate.template().parameters()).as("the ETag is read from the evidence, not kept")
                .isNotEmpty();
        assertThat(candidate.planTemplate()).doesNotContain(EmulatedAccount.ETAG);
        assertThat(bound(candidate, first, firstPack)).as("the template bound to its teacher's evidence")
                .isEqualTo(first.plan());

        // 4. A signed-in admin promotes the candidate on the portal.
        String page = runbooksPage();
        assertThat(page).contains(candidate.id(), "CANDIDATE");
        String form = "csrf=" + encode(promoteCsrf(page, candidate.id())) + "&version=" + candidate.version();
        JsonNode promoted = json(portal.invoke(event("approval-lambda", "post-promote-cognito.json", Map.of(
                "RUNBOOK_ID", candidate.id(), "SUB", ADMIN_SUB, "USERNAME", ADMIN, "GROUPS", "[admin]",
                "CONTENT_LENGTH", Integer.toString(form.length()),
                "FORM_BASE64", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8))))));
        assertThat(promoted.path("statusCode").asInt()).as(promoted + "\n" + portal.log()).isEqualTo(200);
        Runbook active = runbooks.find(candidate.id()).orElseThrow();
        assertThat(active.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(active.promotedBy()).isEqualTo(ADMIN);
        assertThat(account.auditEvents().stream().map(RunbookLoopIT::json)
                .filter(line -> line.path("alert_id").asText().equals(candidate.id())))
                .singleElement().satisfies(line -> {
                    assertThat(line.path("action").asText()).isEqualTo("RUNBOOK_PROMOTED");
                    assertThat(line.path("actor").asText()).isEqualTo(ADMIN);
                    assertThat(line.path("verified").asBoolean()).isTrue();
                });

        // 5. The site is up; then the distribution is disabled again and the monitor raises a new alert.
        JsonNode healthy = json(monitor.invoke(event("monitor-lambda", "scheduled-event.json", Map.of())));
        assertThat(healthy.at("/0/targets/0/action").asText()).as(healthy + "\n" + monitor.log())
                .isNotEqualTo("RAISED");
        assertThat(healthy.at("/0/targets/0/alert_ids")).isEmpty();
        account.distributionDisabledAgain(ETAG_AGAIN);
        account.reset(false);
        Alert second = raise();
        EvidencePack secondPack = evidence(second);
        assertThat(second.alertId()).isNotEqualTo(first.alertId());
        assertThat(second.analyzer()).isEqualTo(Analyzer.RUNBOOK);
        assertThat(second.runbookId()).isEqualTo(candidate.id());
        assertThat(second.plan()).contains(ETAG_AGAIN).doesNotContain(EmulatedAccount.ETAG);
        assertThat(second.plan()).as("the runbook's template bound to the new alert's evidence")
                .isEqualTo(bound(active, second, secondPack));
        assertThat(second.plan()).as("what the rule engine makes of the same evidence")
                .isEqualTo(byRules(second, secondPack));
        assertThat(account.object(second.s3AnalysisKey())).contains("Proposed by runbook " + candidate.id());
        Runbook used = runbooks.find(candidate.id()).orElseThrow();
        assertThat(used.uses()).isEqualTo(1);
        assertThat(used.status()).isEqualTo(Runbook.Status.ACTIVE);

        // 6. Approved and run, the runbook's plan heals the site again: its second verified success.
        assertThat(execute(second, approve(second))).isEqualTo("COMPLETED");
        assertThat(account.alerts().find(second.alertId()).orElseThrow().state()).isEqualTo(AlertState.COMPLETED);
        assertThat(account.requests(RequestMethod.PUT, "/config").getLast().getHeader("If-Match"))
                .isEqualTo(ETAG_AGAIN);
        Runbook twice = runbooks.find(candidate.id()).orElseThrow();
        assertThat(twice.verifiedSuccesses()).isEqualTo(2);
        assertThat(twice.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(twice.uses()).isEqualTo(1);
    }

    /** Runs the monitor once on the failing site; the one alert it raised, analysed and waiting for a decision. */
    private static Alert raise() {
        JsonNode reports = json(monitor.invoke(event("monitor-lambda", "scheduled-event.json", Map.of())));
        assertThat(reports.at("/0/targets/0/action").asText()).as(reports + "\n" + monitor.log()).isEqualTo("RAISED");
        Alert alert = account.alerts().find(reports.at("/0/targets/0/alert_ids/0").asText()).orElseThrow();
        assertThat(alert.state()).as(monitor.log()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(alert.domain()).isEqualTo(EmulatedAccount.HOST);
        return alert;
    }

    /** Approves the alert on its review page, as a person with the review link does; the execute message sent. */
    private static String approve(Alert alert) {
        String token = account.reviewToken(alert.alertId());
        JsonNode page = json(approval.invoke(event("approval-lambda", "get-review.json",
                Map.of("ALERT_ID", alert.alertId(), "TOKEN", token))));
        String html = page.path("body").asText();
        String form = "csrf=" + encode(field(ShippedJars.CSRF, html)) + "&t=" + encode(token) + "&plan_hash="
                + field(ShippedJars.PLAN_HASH, html) + "&decision=approve&approver=" + encode("Lee Ops")
                + "&comment=" + encode("re-enable it");
        JsonNode decided = json(approval.invoke(event("approval-lambda", "post-decision-form.json", Map.of(
                "ALERT_ID", alert.alertId(), "CONTENT_LENGTH", Integer.toString(form.length()),
                "FORM_BASE64", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8))))));
        assertThat(decided.path("statusCode").asInt()).as(decided + "\n" + approval.log()).isEqualTo(200);
        assertThat(account.alerts().find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        List<String> sent = account.publishedMessages().stream().filter(m -> m.contains(alert.alertId())).toList();
        assertThat(sent).singleElement().satisfies(m -> assertThat(m).contains(alert.planHash()));
        return sent.getFirst();
    }

    /** Delivers the execute message to the execution function; the outcome it reports. */
    private static String execute(Alert alert, String message) {
        JsonNode outcomes = json(execution.invoke(event("execution-lambda", "sns-execute.json",
                Map.of("MESSAGE", message, "ALERT_ID", alert.alertId()))));
        assertThat(outcomes.at("/0/outcome").asText()).as(outcomes + "\n" + execution.log()).isNotBlank();
        return outcomes.at("/0/outcome").asText();
    }

    /** The runbooks page as the signed-in admin sees it. */
    private static String runbooksPage() {
        JsonNode response = json(portal.invoke(event("approval-lambda", "get-runbooks-cognito.json",
                Map.of("SUB", ADMIN_SUB, "USERNAME", ADMIN, "GROUPS", "[admin]"))));
        assertThat(response.path("statusCode").asInt()).as(response + "\n" + portal.log()).isEqualTo(200);
        return response.path("body").asText();
    }

    /** The CSRF token of the runbook's promote form on the runbooks page. */
    private static String promoteCsrf(String html, String runbookId) {
        Matcher m = Pattern.compile("action=\"runbooks/" + Pattern.quote(runbookId)
                + "/promote\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("the promote form of " + runbookId + " on the page").isTrue();
        return m.group(1);
    }

    private static EvidencePack evidence(Alert alert) {
        return EvidencePack.fromJsonBytes(account.object(alert.evidenceKey()).getBytes(StandardCharsets.UTF_8));
    }

    /** The runbook's plan for this alert and evidence, as canonical JSON. */
    private static String bound(Runbook runbook, Alert alert, EvidencePack pack) {
        RunbookTemplate.Binding binding = runbook.template().bind(alert.issueType(), pack);
        assertThat(binding).isInstanceOf(RunbookTemplate.Binding.Bound.class);
        return PlanJson.canonical(((RunbookTemplate.Binding.Bound) binding).plan());
    }

    /** The plan the rule engine makes for this alert and evidence, as canonical JSON. */
    private static String byRules(Alert alert, EvidencePack pack) {
        String markdown = new RuleBasedRemediationAgent().analyze(Incident.of(alert), pack).markdown();
        PlanParse parsed = PlanChecks.check(markdown, pack);
        assertThat(parsed).isInstanceOf(PlanParse.Valid.class);
        return PlanJson.canonical(((PlanParse.Valid) parsed).plan());
    }

    private static Plan plan(String json) {
        PlanParse parsed = PlanJson.parse(json);
        assertThat(parsed).isInstanceOf(PlanParse.Valid.class);
        return ((PlanParse.Valid) parsed).plan();
    }

    private static JsonNode json(byte[] output) {
        try {
            return Template.JSON.readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Template.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
