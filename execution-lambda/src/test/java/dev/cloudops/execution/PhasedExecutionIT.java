package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.json.Json;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The execution as the alert workflow's tasks (Orchestration=stepfunctions), each one handler invocation with
 * the task event the state machine sends, in the order the state machine would call them (a failing task's
 * error goes to the rollback task as its Catch passes it). Against the emulators and the AWS stand-in, like
 * {@code PlanExecutorIT}: nothing carries over between the tasks but the alert, the Control table and S3.
 */
@ExtendWith(Emulators.class)
class PhasedExecutionIT {

    private static final Map<String, String> STEPFUNCTIONS = Map.of("ORCHESTRATION", "stepfunctions");

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private ExecutionTestBed bed;

    PhasedExecutionIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        bed = new ExecutionTestBed(dynalite, s3);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void prechecksExecuteVerify_completeThePlan_withOneLogOfAllTasks_andGiveTheSlotAndLocksBack() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode ready = bed.task(handler(), "task-prechecks.json", alert);
        Map<String, String> heldAfterPrechecks = held(alert);
        JsonNode applied = bed.task(handler(), "task-execute.json", alert);
        JsonNode verified = bed.task(handler(), "task-verify.json", alert);

        assertThat(ready.path("outcome").asText()).isEqualTo("READY");
        assertThat(ready.path("state").asText()).isEqualTo("EXECUTING");
        assertThat(ready.has("retry_at")).isTrue();
        assertThat(ready.path("retry_at").isNull()).isTrue();
        assertThat(heldAfterPrechecks).containsEntry("lock#cloudfront:" + AwsStandIn.DISTRIBUTION, alert.alertId())
                .containsKey("exec#slot#0");
        assertThat(applied.path("outcome").asText()).isEqualTo("APPLIED");
        assertThat(applied.path("detail").asText()).contains("1 of 1 executable step(s) applied");
        assertThat(verified.path("outcome").asText()).isEqualTo("FINISHED");
        assertThat(verified.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(verified.path("detail").asText()).contains("1 step done and the target is healthy");
        LoggedRequest update = bed.aws.requests(RequestMethod.PUT, "/config").getFirst();
        assertThat(update.getHeader("If-Match")).isEqualTo(ExecutionTestBed.ETAG);
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.COMPLETED);
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.EXECUTION_STARTED).hasSize(1);
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.STEP_APPLIED)
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("version E2AFTERUPDATE"));
        assertThat(logs()).as("one log object, extended by each task").singleElement()
                .isEqualTo(ExecutionTestBed.key(stored.executionLogUrl()));
        assertThat(bed.object(ExecutionTestBed.key(stored.executionLogUrl()))).containsSubsequence("## Prechecks",
                "✔ resource locks", "## Preflight", "*Task execute", "## Preflight", "## Steps",
                "cloudfront:UpdateDistribution", "*Task verify", "## Verification", "HEALTHY", "**COMPLETED**");
        assertThat(held(alert)).as("slot and locks given back").isEmpty();
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString())
                .contains("Remediation COMPLETED"));
    }

    @Test
    void aFailedStep_failsTheExecuteTask_andTheRollbackTaskUndoesWhatTheJournalNames() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.acceptChanges();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching("E7CHANGEDMEANWHILE", "E8");
        Alert alert = bed.approved(ExecutionTestBed.recordThenEnable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);

        PlanStepFailedException failed = catchFailure(() -> bed.task(handler(), "task-execute.json", alert),
                PlanStepFailedException.class);
        assertThat(failed).hasMessageStartingWith("step S2 (cloudfront.set_enabled) failed: ");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXECUTING);
        bed.aws.records(AwsStandIn.aliasRecord("shop.example.com", "d111111abcdef8.cloudfront.net"));

        JsonNode rolledBack = rollback(alert, failed);

        assertThat(rolledBack.path("outcome").asText()).isEqualTo("FINISHED");
        assertThat(rolledBack.path("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(rolledBack.path("detail").asText()).startsWith("step S2 (cloudfront.set_enabled) failed")
                .endsWith("the changes were rolled back; undone: S1");
        List<LoggedRequest> changes = bed.aws.requests(RequestMethod.POST, "/rrset/");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).getBodyAsString()).contains("<Action>CREATE</Action>");
        assertThat(changes.get(1).getBodyAsString()).contains("<Action>DELETE</Action>", "<Name>shop.example.com");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.ROLLED_BACK);
        assertThat(bed.object(ExecutionTestBed.key(stored.executionLogUrl()))).containsSubsequence("## Steps",
                "### S2 cloudfront.set_enabled — FAILED", "*Task rollback", "## Rollback", "undo S1",
                "**ROLLED_BACK**");
        assertThat(held(alert)).isEmpty();
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString())
                .contains("ROLLED_BACK"));
    }

    @Test
    void aTargetStillFailing_failsTheVerifyTask_andTheRollbackTaskRestoresIt() {
        bed.fixWorks = false;
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        bed.task(handler(), "task-execute.json", alert);
        bed.aws.distribution("E2AFTERUPDATE", true);
        bed.aws.updatesMatching("E2AFTERUPDATE", "E3RESTORED");

        VerificationFailedException failed = catchFailure(() -> bed.task(handler(), "task-verify.json", alert),
                VerificationFailedException.class);
        JsonNode rolledBack = rollback(alert, failed);

        assertThat(failed).hasMessageStartingWith("the target was still failing after the plan (");
        assertThat(rolledBack.path("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(rolledBack.path("detail").asText()).contains("the target was still failing after the plan",
                "the changes were rolled back; undone: S1");
        List<LoggedRequest> updates = bed.aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).getHeader("If-Match")).isEqualTo("E2AFTERUPDATE");
        assertThat(updates.get(1).getBodyAsString()).contains("<Enabled>false</Enabled>");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.ROLLED_BACK);
        assertThat(held(alert)).isEmpty();
    }

    @Test
    void withAnExecutorRole_eachTaskThatCallsAwsHasASessionOfItsOwn_scopedToThePlan() {
        bed.fixWorks = false;
        bed.aws.simulation("allowed");
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        Map<String, String> scoped = new java.util.HashMap<>(STEPFUNCTIONS);
        scoped.put("EXECUTOR_ROLE_ARN", ExecutionTestBed.EXECUTOR);
        bed.task(bed.handler(scoped, Clock.systemUTC()), "task-prechecks.json", alert);
        bed.task(bed.handler(scoped, Clock.systemUTC()), "task-execute.json", alert);
        bed.aws.distribution("E2AFTERUPDATE", true);
        bed.aws.updatesMatching("E2AFTERUPDATE", "E3RESTORED");
        VerificationFailedException failed = catchFailure(() -> bed.task(bed.handler(scoped, Clock.systemUTC()),
                "task-verify.json", alert), VerificationFailedException.class);

        String cause = Json.mapper().createObjectNode().put("errorMessage", failed.getMessage())
                .put("errorType", failed.getClass().getName()).toString();
        JsonNode rolledBack = bed.task(bed.handler(scoped, Clock.systemUTC()), "task-rollback.json", alert,
                Map.of("ERROR", failed.getClass().getName(), "CAUSE", cause));

        assertThat(rolledBack.path("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(bed.aws.form("AssumeRole")).as("prechecks, execute and rollback; verify only probes the site")
                .hasSize(3).allSatisfy(assume -> assertThat(assume)
                        .containsEntry("RoleSessionName", "cloudops-" + alert.alertId())
                        .containsEntry("Policy", ((dev.cloudops.plan.SessionPolicy.Scoped) dev.cloudops.plan
                                .SessionScope.of(ExecutionTestBed.EXECUTOR).policyFor(ExecutionTestBed.enable())).json()));
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).as("the change and its undo").hasSize(2)
                .allSatisfy(r -> assertThat(AwsStandIn.signedBy(r)).isEqualTo(AwsStandIn.SESSION_KEY));
    }

    @Test
    void aResourceChangedBetweenPrechecksAndExecute_isRefusedByTheExecuteTasksPreflight_andNothingIsWritten() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching("E9SOMEONEELSE", "E10");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        bed.aws.distribution("E9SOMEONEELSE", false);

        JsonNode answer = bed.task(handler(), "task-execute.json", alert);

        assertThat(answer.path("outcome").asText()).isEqualTo("FINISHED");
        assertThat(answer.path("state").asText()).isEqualTo("FAILED");
        assertThat(answer.path("detail").asText()).contains("preflight refused the plan", "nothing was changed");
        assertThat(bed.aws.writes()).isEmpty();
        assertThat(held(alert)).isEmpty();
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.FAILED);
    }

    @Test
    void theVerifyTask_endsTheReserveBeforeTheScheduledRecoveryWouldTakeOver_andFailsIfNoTimeIsLeft() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        bed.task(handler(), "task-execute.json", alert);
        // 19.5 min after the claim: the recovery (EXECUTION_STUCK_AFTER, 20 min) is not due, but less than the
        // reserve (ROUTE53_SYNC_DEADLINE + 60 s) is left before it would be.
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1170));
        ExecutionHandler lateHandler = bed.handler(STEPFUNCTIONS, late);

        assertThatThrownBy(() -> bed.task(lateHandler, "task-verify.json", alert))
                .isInstanceOf(VerificationFailedException.class)
                .hasMessageStartingWith("the target could not be verified in time")
                .hasMessageContaining("keeps 65 s to roll back");
        assertThat(bed.object(logs().getFirst())).contains("*Task verify", "not verified: the target could not be "
                + "verified in time").doesNotContain("probe 1 at");
        assertThat(bed.invoke(lateHandler, "scheduled-event.json", null, null)).as("the recovery is not due").isEmpty();
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXECUTING);
    }

    @Test
    void aClosedWindow_answersDeferredWithItsOpening_givesTheClaimBack_andSchedulesNothing() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        DayOfWeek day = tomorrow.getDayOfWeek();
        Map<String, String> env = new HashMap<>(STEPFUNCTIONS);
        env.put("EXECUTION_WINDOWS", "medium=" + day.name().substring(0, 3) + " 00:00-23:59");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode deferred = bed.task(bed.handler(env, Clock.systemUTC()), "task-prechecks.json", alert);

        assertThat(deferred.path("outcome").asText()).isEqualTo("DEFERRED");
        assertThat(deferred.path("retry_at").asText()).isEqualTo(tomorrow.atStartOfDay(ZoneOffset.UTC).toInstant()
                .toString());
        assertThat(deferred.path("state").asText()).isEqualTo("APPROVED");
        assertThat(deferred.path("detail").asText()).contains("execution window for MEDIUM alerts");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        assertThat(dynalite.client().getItem(b -> b.tableName(bed.control).consistentRead(true)
                .key(Map.of(ControlTable.PK, AttributeValue.fromS("deferred#" + alert.alertId())))).hasItem())
                .as("nothing scheduled: the state machine waits").isFalse();
        assertThat(held(alert)).isEmpty();
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void prechecksRetried_onItsOwnClaim_answersReadyAgain_withoutASecondClaim() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);

        JsonNode again = bed.task(handler(), "task-prechecks.json", alert);

        assertThat(again.path("outcome").asText()).isEqualTo("READY");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.EXECUTING);
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.EXECUTION_STARTED).hasSize(1);
        assertThat(held(alert)).containsKey("lock#cloudfront:" + AwsStandIn.DISTRIBUTION);
    }

    @Test
    void executeRetried_afterItAppliedSteps_refusesToApplyThemAgain() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        bed.task(handler(), "task-execute.json", alert);

        assertThatThrownBy(() -> bed.task(handler(), "task-execute.json", alert))
                .isInstanceOf(StepsAlreadyAppliedException.class)
                .hasMessage("the execution of alert " + alert.alertId() + " already applied S1 since it was claimed; "
                        + "its steps are not run again (it is rolled back instead)");
        assertThatThrownBy(() -> bed.task(handler(), "task-prechecks.json", alert))
                .isInstanceOf(StepsAlreadyAppliedException.class);
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).hasSize(1);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXECUTING);
    }

    @Test
    void verifyAndRollbackRetried_onAFinishedAlert_answerItsState_andChangeNothing() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        bed.task(handler(), "task-execute.json", alert);
        bed.task(handler(), "task-verify.json", alert);
        Alert finished = bed.alerts.find(alert.alertId()).orElseThrow();

        JsonNode verifiedAgain = bed.task(handler(), "task-verify.json", alert);
        JsonNode rolledBackAgain = bed.task(handler(), "task-rollback.json", alert, Map.of("ERROR",
                "States.Timeout", "CAUSE", ""));
        JsonNode executedAgain = bed.task(handler(), "task-execute.json", alert);

        for (JsonNode answer : List.of(verifiedAgain, rolledBackAgain, executedAgain)) {
            assertThat(answer.path("outcome").asText()).isEqualTo("FINISHED");
            assertThat(answer.path("state").asText()).isEqualTo("COMPLETED");
        }
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.version()).isEqualTo(finished.version());
        assertThat(stored.audit()).isEqualTo(finished.audit());
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).hasSize(1);
        assertThat(bed.aws.teams()).hasSize(1);
    }

    @Test
    void aRollbackAfterThePrechecksOnly_failsWithNothingChanged_andGivesTheSlotAndLocksBack() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        assertThat(held(alert)).isNotEmpty();

        JsonNode answer = bed.task(handler(), "task-rollback.json", alert, Map.of("ERROR", "States.Timeout",
                "CAUSE", "The task timed out."));

        assertThat(answer.path("outcome").asText()).isEqualTo("FINISHED");
        assertThat(answer.path("state").asText()).isEqualTo("FAILED");
        assertThat(answer.path("detail").asText()).contains("the workflow's task failed (States.Timeout: The task "
                + "timed out.)", "nothing had been changed");
        assertThat(held(alert)).isEmpty();
        assertThat(bed.aws.writes()).isEmpty();
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.FAILED);
        assertThat(stored.audit()).extracting(AuditEvent::action).contains(AuditAction.EXECUTION_TAKEN_OVER,
                AuditAction.EXECUTION_FINISHED);
    }

    @Test
    void theScheduledRecovery_leavesAnExecutionTheWorkflowIsRunning_alone() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.task(handler(), "task-prechecks.json", alert);
        bed.task(handler(), "task-execute.json", alert);

        JsonNode scheduled = bed.invoke(handler(), "scheduled-event.json", null, null);

        assertThat(scheduled).isEmpty();
        assertThat(bed.task(handler(), "task-verify.json", alert).path("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void aBadTaskEvent_isRefusedWithTheProblemNamed_andATaskNeedsTheStepFunctionsOrchestration() {
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        assertThatThrownBy(() -> invokeRaw(handler(), "{\"cloudops_task\":\"explode\",\"alert_id\":\""
                + alert.alertId() + "\"}")).isInstanceOf(CloudopsException.class)
                .hasMessageContaining("unknown cloudops_task 'explode'");
        assertThatThrownBy(() -> invokeRaw(handler(), "{\"cloudops_task\":\"prechecks\",\"alert_id\":\""
                + alert.alertId() + "\"}")).isInstanceOf(CloudopsException.class)
                .hasMessage("the prechecks task needs plan_hash (64 lowercase hex)");
        assertThatThrownBy(() -> bed.task(bed.handler(), "task-execute.json", alert))
                .isInstanceOf(CloudopsException.class).hasMessageContaining("needs ORCHESTRATION=stepfunctions");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
    }

    private ExecutionHandler handler() {
        return bed.handler(STEPFUNCTIONS, Clock.systemUTC());
    }

    /** The rollback task as the state machine's Catch calls it: the Lambda error of the failed task. */
    private JsonNode rollback(Alert alert, RuntimeException failure) {
        String cause = Json.mapper().createObjectNode().put("errorMessage", failure.getMessage())
                .put("errorType", failure.getClass().getName()).toString();
        return bed.task(handler(), "task-rollback.json", alert, Map.of("ERROR", failure.getClass().getName(),
                "CAUSE", cause));
    }

    private static <T extends RuntimeException> T catchFailure(Runnable task, Class<T> type) {
        try {
            task.run();
        } catch (RuntimeException e) {
            assertThat(e).isInstanceOf(type);
            return type.cast(e);
        }
        throw new AssertionError("expected " + type.getSimpleName());
    }

    private void invokeRaw(ExecutionHandler handler, String event) throws Exception {
        handler.handleRequest(new java.io.ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new java.io.ByteArrayOutputStream(), null);
    }

    /** The Control table's slot and lock items the alert's execution holds (key → owner). */
    private Map<String, String> held(Alert alert) {
        Map<String, String> held = new HashMap<>();
        long now = Instant.now().getEpochSecond();
        dynalite.client().scan(b -> b.tableName(bed.control).consistentRead(true)).items().stream()
                .filter(i -> i.containsKey("owner") && alert.alertId().equals(i.get("owner").s()))
                .filter(i -> !i.containsKey("expires_at") || Long.parseLong(i.get("expires_at").n()) >= now)
                .forEach(i -> held.put(i.get(ControlTable.PK).s(), i.get("owner").s()));
        return held;
    }

    /** The execution logs stored (not the archive). */
    private List<String> logs() {
        return bed.keys("executions/").stream().filter(k -> !k.startsWith("executions/archive/")).toList();
    }
}
