package dev.cloudops.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles;
import dev.cloudops.json.Json;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.ApprovalStepMachine;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * {@link AlertWorkflow} against moto's Step Functions (a one-step machine whose approval step is a real
 * {@code waitForTaskToken} task, see {@link ApprovalStepMachine}), with the alert and its handles on dynalite:
 * exactly-once starts, and the decision reaching the waiting step whichever comes first.
 */
@ExtendWith(Emulators.class)
class AlertWorkflowIT {

    private final Dynalite dynalite;
    private final MotoServer moto;
    private DynamoDbAlertRepository alerts;
    private DynamoDbWorkflowHandles handles;

    AlertWorkflowIT(Dynalite dynalite, MotoServer moto) {
        this.dynalite = dynalite;
        this.moto = moto;
    }

    private final List<ApprovalStepMachine> machines = new ArrayList<>();

    @AfterEach
    void closeClients() {
        machines.forEach(ApprovalStepMachine::close);
    }

    @BeforeEach
    void createTable() {
        String table = "alerts-" + UUID.randomUUID();
        dynalite.createTable(AlertsTable.createRequest(table));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
        handles = new DynamoDbWorkflowHandles(dynalite.client(), table);
    }

    @Test
    void start_twiceWithTheSameAlertAndPlan_runsOneExecution() {
        ApprovalStepMachine machine = machine(Duration.ofMinutes(5));
        AlertWorkflow workflow = workflow(machine);
        Alert alert = alerts.create(AlertFixtures.detected(newId()));

        AlertWorkflow.Started first = workflow.start(alert.alertId(), null);
        AlertWorkflow.Started second = workflow.start(alert.alertId(), null);

        assertThat(first.duplicate()).isFalse();
        assertThat(second).isEqualTo(new AlertWorkflow.Started(first.executionArn(), true));
        assertThat(first.executionArn()).endsWith(":" + AlertWorkflow.executionName(alert.alertId(), null));
        assertThat(machine.sfn().listExecutions(b -> b.stateMachineArn(machine.arn())).executions())
                .extracting(ExecutionListItem::executionArn).containsExactly(first.executionArn());
        assertThat(handles.find(alert.alertId()).orElseThrow().executionArn()).isEqualTo(first.executionArn());
    }

    @Test
    void start_afterTheFirstExecutionEnded_startsNoSecond() {
        ApprovalStepMachine machine = machine(Duration.ofMinutes(5));
        AlertWorkflow workflow = workflow(machine);
        Alert pending = alerts.create(AlertFixtures.pending(newId()));
        AlertWorkflow.Started first = workflow.start(pending.alertId(), null);
        workflow.awaitDecision(pending, taskToken(machine, pending));
        workflow.answer(approve(pending));
        machine.finished(first.executionArn());

        AlertWorkflow.Started again = workflow.start(pending.alertId(), null);

        assertThat(again).isEqualTo(new AlertWorkflow.Started(first.executionArn(), true));
        assertThat(machine.sfn().listExecutions(b -> b.stateMachineArn(machine.arn())).executions()).hasSize(1);
    }

    @Test
    void start_withAnotherPlanHash_startsANewExecution_underANewName() {
        ApprovalStepMachine machine = machine(Duration.ofMinutes(5));
        AlertWorkflow workflow = workflow(machine);
        Alert alert = alerts.create(AlertFixtures.detected(newId()));

        AlertWorkflow.Started first = workflow.start(alert.alertId(), null);
        AlertWorkflow.Started replanned = workflow.start(alert.alertId(), "b".repeat(64));

        assertThat(replanned.duplicate()).isFalse();
        assertThat(replanned.executionArn()).isNotEqualTo(first.executionArn())
                .endsWith(":" + AlertWorkflow.executionName(alert.alertId(), "b".repeat(64)));
        assertThat(machine.sfn().listExecutions(b -> b.stateMachineArn(machine.arn())).executions())
                .extracting(ExecutionListItem::executionArn)
                .containsExactlyInAnyOrder(first.executionArn(), replanned.executionArn());
        assertThat(handles.find(alert.alertId()).orElseThrow().executionArn()).isEqualTo(replanned.executionArn());
    }

    @Test
    void awaitDecision_storesTheToken_andAnApprovalAnswersTheStep_withTheDecisionAndPlanHash() throws Exception {
        ApprovalStepMachine machine = machine(Duration.ofMinutes(5));
        AlertWorkflow workflow = workflow(machine);
        Alert pending = alerts.create(AlertFixtures.pending(newId()));
        String execution = workflow.start(pending.alertId(), null).executionArn();
        String token = taskToken(machine, pending);

        workflow.awaitDecision(pending, token);

        assertThat(handles.find(pending.alertId()).orElseThrow().taskToken()).isEqualTo(token);
        assertThat(workflow.answer(pending)).as("nothing to answer while the alert still waits").isFalse();
        assertThat(machine.sfn().describeExecution(b -> b.executionArn(execution)).status())
                .isEqualTo(ExecutionStatus.RUNNING);

        boolean answered = workflow.answer(approve(pending));

        assertThat(answered).isTrue();
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode decision = Json.mapper().readTree(done.output()).path("decision");
        assertThat(decision.path("decision").asText()).isEqualTo("APPROVED");
        assertThat(decision.path("alert_id").asText()).isEqualTo(pending.alertId());
        assertThat(decision.path("plan_hash").asText()).isEqualTo(pending.planHash());
        assertThat(handles.find(pending.alertId()).orElseThrow().taskToken()).as("the answered token is removed").isNull();
    }

    @Test
    void aRejection_endsTheStepWithCloudopsRejected_andTheReasonAsCause() {
        ApprovalStepMachine machine = machine(Duration.ofMinutes(5));
        AlertWorkflow workflow = workflow(machine);
        Alert pending = alerts.create(AlertFixtures.pending(newId()));
        String execution = workflow.start(pending.alertId(), null).executionArn();
        workflow.awaitDecision(pending, taskToken(machine, pending));
        Alert rejected = ((TransitionResult.Applied) alerts.apply(pending.reject(AlertFixtures.person("bob"),
                "the record was removed on purpose", pending.timestamp().plusSeconds(60)))).alert();

        boolean answered = workflow.answer(rejected);

        assertThat(answered).isTrue();
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo(AlertWorkflow.REJECTED);
        assertThat(machine.history(execution)).filteredOn(e -> e.type() == HistoryEventType.TASK_FAILED)
                .singleElement().satisfies(e -> {
                    assertThat(e.taskFailedEventDetails().error()).isEqualTo("cloudops.Rejected");
                    assertThat(e.taskFailedEventDetails().cause()).isEqualTo("the record was removed on purpose");
                });
    }

    @Test
    void aDecisionRecordedBeforeTheStepBegan_isAnsweredByAwaitDecision_atOnce() throws Exception {
        ApprovalStepMachine machine = machine(Duration.ofMinutes(5));
        AlertWorkflow workflow = workflow(machine);
        Alert pending = alerts.create(AlertFixtures.pending(newId()));
        String execution = workflow.start(pending.alertId(), null).executionArn();
        String token = taskToken(machine, pending);
        Alert approved = approve(pending);
        assertThat(workflow.answer(approved)).as("no step waits yet").isFalse();

        workflow.awaitDecision(approved, token);

        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode decision = Json.mapper().readTree(done.output()).path("decision");
        assertThat(decision.path("decision").asText()).isEqualTo("APPROVED");
        assertThat(decision.path("plan_hash").asText()).isEqualTo(approved.planHash());
        assertThat(handles.find(pending.alertId()).orElseThrow().taskToken()).as("a decided alert stores no token")
                .isNull();
    }

    @Test
    void answer_whenTheStepTimedOutAlready_doesNotThrow() {
        ApprovalStepMachine machine = machine(Duration.ofSeconds(1));
        AlertWorkflow workflow = workflow(machine);
        Alert pending = alerts.create(AlertFixtures.pending(newId()));
        String execution = workflow.start(pending.alertId(), null).executionArn();
        workflow.awaitDecision(pending, taskToken(machine, pending));
        DescribeExecutionResponse timedOut = machine.finished(execution);
        Alert approved = approve(pending);

        assertThatCode(() -> workflow.answer(approved)).doesNotThrowAnyException();

        assertThat(timedOut.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(timedOut.error()).isEqualTo("States.Timeout");
        assertThat(machine.history(execution)).extracting(HistoryEvent::type)
                .contains(HistoryEventType.TASK_TIMED_OUT).doesNotContain(HistoryEventType.TASK_SUCCEEDED);
    }

    private ApprovalStepMachine machine(Duration timeout) {
        ApprovalStepMachine machine = ApprovalStepMachine.create(moto, timeout);
        machines.add(machine);
        return machine;
    }

    private AlertWorkflow workflow(ApprovalStepMachine machine) {
        return new AlertWorkflow(machine.sfn(), machine.arn(), handles);
    }

    /** The token of the approval step waiting for this alert, from the task event it sent. */
    private static String taskToken(ApprovalStepMachine machine, Alert alert) {
        JsonNode event = machine.nextTaskEvent();
        assertThat(event.path("cloudops_task").asText()).isEqualTo("await_decision");
        assertThat(event.path("alert_id").asText()).isEqualTo(alert.alertId());
        return event.path("task_token").asText();
    }

    private Alert approve(Alert pending) {
        return ((TransitionResult.Applied) alerts.apply(pending.approve(AlertFixtures.person("alice"), "sub-alice",
                "ops-lead", "go", pending.planHash(), pending.timestamp().plusSeconds(60)))).alert();
    }

    private static String newId() {
        return "01JWF" + UUID.randomUUID().toString().replace("-", "").substring(0, 21).toUpperCase();
    }
}
