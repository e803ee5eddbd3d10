package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles;
import dev.cloudops.json.Json;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.testing.ApprovalStepMachine;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import dev.cloudops.testing.RecordingMetrics;
import dev.cloudops.testing.S3Emulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mockito;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The approval function with the alert workflow (ORCHESTRATION=stepfunctions), driven by the task event the
 * workflow's approval step sends and by real HTTP API events: the workflow runs on moto (a one-step machine
 * whose approval step is a real waitForTaskToken task, {@link ApprovalStepMachine}), the alerts on dynalite.
 */
@ExtendWith(Emulators.class)
class ApprovalWorkflowIT {


    private final Dynalite dynalite;
    private final S3Emulator s3;
    private final MotoServer moto;
    private ApprovalStepMachine machine;
    private PortalTestBed bed;
    private DynamoDbWorkflowHandles handles;

    ApprovalWorkflowIT(Dynalite dynalite, S3Emulator s3, MotoServer moto) {
        this.dynalite = dynalite;
        this.s3 = s3;
        this.moto = moto;
    }

    @BeforeEach
    void start() {
        // The bed's region: the function's client and the machine must be in the same one.
        machine = ApprovalStepMachine.create(moto, Region.EU_WEST_1, Duration.ofMinutes(5));
        bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "link", "ORCHESTRATION", "stepfunctions",
                "ALERT_WORKFLOW_ARN", machine.arn(), "AWS_ENDPOINT_URL_SFN", moto.endpoint().toString()));
        handles = new DynamoDbWorkflowHandles(dynalite.client(), bed.table);
    }

    @AfterEach
    void stop() {
        bed.close();
        machine.close();
    }

    @Test
    void awaitDecision_thenAnApproval_answersTheWorkflowWithTheDecision_andPublishesNothing() throws Exception {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String execution = startWorkflow(alert);
        JsonNode task = machine.nextTaskEvent();

        JsonNode answer = bed.invoke(task.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(answer).isEqualTo(Json.mapper().createObjectNode().put("alert_id", alert.alertId()));
        assertThat(handles.find(alert.alertId()).orElseThrow().taskToken()).isEqualTo(task.path("task_token").asText());
        assertThat(status(execution)).as("still waiting for people").isEqualTo(ExecutionStatus.RUNNING);

        JsonNode response = approve(alert);

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("body").asText()).contains("Approved. Execution of the plan has been started.");
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode decision = Json.mapper().readTree(done.output()).path("decision");
        assertThat(decision.path("decision").asText()).isEqualTo("APPROVED");
        assertThat(decision.path("alert_id").asText()).isEqualTo(alert.alertId());
        assertThat(decision.path("plan_hash").asText()).isEqualTo(alert.planHash());
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        assertThat(bed.executeMessages()).as("nothing published to the execute topic").isEmpty();
        assertThat(bed.teamsPosts()).singleElement().satisfies(p -> assertThat(p.toString()).contains("Plan approved"));
        assertThat(handles.find(alert.alertId()).orElseThrow().taskToken()).isNull();
    }

    @Test
    void anAlertWithoutAWorkflow_raisedBeforeTheSwitch_isStillExecutedThroughTheExecuteTopic() throws Exception {
        Alert alert = bed.seed(Severity.MEDIUM, "legacy.example.com", Duration.ofMinutes(10));

        JsonNode response = approve(alert);

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        assertThat(bed.executeMessages()).singleElement().satisfies(m -> assertThat(m.toString())
                .contains(alert.alertId(), alert.planHash()));
        assertThat(machine.sfn().listExecutions(b -> b.stateMachineArn(machine.arn())).executions())
                .as("no workflow is involved").isEmpty();
    }

    @Test
    void aRejection_endsTheWorkflowsApprovalStepWithCloudopsRejected_andPublishesNothing() {
        Alert alert = bed.seed(Severity.LOW, "blog.example.com", Duration.ofMinutes(3));
        String execution = startWorkflow(alert);
        bed.invoke(machine.nextTaskEvent().toString().getBytes(StandardCharsets.UTF_8));
        String token = bed.token(alert.alertId());
        String csrf = csrf(get(alert, token).path("body").asText());

        JsonNode response = postForm(alert, form("csrf", csrf, "t", token, "decision", "reject", "approver", "Kim",
                "comment", "the record was removed on purpose"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo(AlertWorkflow.REJECTED);
        assertThat(done.cause()).isEqualTo("the record was removed on purpose");
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void aDecisionBeforeTheStepBegan_isAnsweredByTheAwaitDecisionTask_atOnce() throws Exception {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String execution = startWorkflow(alert);
        JsonNode task = machine.nextTaskEvent();
        approve(alert);
        assertThat(status(execution)).as("no token stored yet: nothing was answered").isEqualTo(ExecutionStatus.RUNNING);

        JsonNode answer = bed.invoke(task.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(answer.path("alert_id").asText()).isEqualTo(alert.alertId());
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.mapper().readTree(done.output()).path("decision").path("decision").asText())
                .isEqualTo("APPROVED");
        assertThat(handles.find(alert.alertId()).orElseThrow().taskToken()).isNull();
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void anAnswerThatFails_keepsTheDecision_andTheStepGetsItWhenItsTaskRunsAgain() throws Exception {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String execution = startWorkflow(alert);
        JsonNode task = machine.nextTaskEvent();
        bed.invoke(task.toString().getBytes(StandardCharsets.UTF_8));
        String token = task.path("task_token").asText();
        try (SfnClient unreachable = SfnClient.builder().endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.EU_WEST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("testing", "testing"))).build()) {
            DecisionRecorder recorder = new DecisionRecorder(bed.alerts, ApprovalPolicy.defaults(),
                    new AlertWorkflow(unreachable, machine.arn(), handles), Clock.systemUTC(), Duration.ofHours(24),
                    DecisionEvents.NONE, new RecordingMetrics(), Optional.empty());

            Decision decision = recorder.decide(alert.alertId(), DecisionRecorder.Verdict.APPROVE, new Identity("lee",
                    "sub-lee", true, Set.of("ops-lead"), "203.0.113.7", "Mozilla/5.0"), "go", alert.planHash(), null);

            assertThat(decision).isInstanceOfSatisfying(Decision.Approved.class,
                    a -> assertThat(a.retryNeeded()).isTrue());
        }
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.EXECUTION_TRIGGER_FAILED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("await_decision").doesNotContain(token));
        assertThat(status(execution)).isEqualTo(ExecutionStatus.RUNNING);

        JsonNode again = bed.invoke(task.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(again.path("alert_id").asText()).isEqualTo(alert.alertId());
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.mapper().readTree(done.output()).path("decision").path("decision").asText())
                .isEqualTo("APPROVED");
    }

    /**
     * The decision lands between the task's read of the alert (still PENDING_APPROVAL) and its write of the token
     * (refused, since the alert no longer waits): the step is answered with the decision, not closed as if the
     * alert were still pending. The stale read is a Mockito spy on the real store: it returns the alert as it was
     * once, then reads through.
     */
    @Test
    void aDecisionBetweenTheTasksReadAndItsWrite_answersTheStepWithTheDecision() throws Exception {
        Alert pending = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String execution = startWorkflow(pending);
        JsonNode task = machine.nextTaskEvent();
        approve(pending);
        DynamoDbAlertRepository staleOnce = Mockito.spy(bed.alerts);
        Mockito.doReturn(Optional.of(pending)).doCallRealMethod().when(staleOnce).find(pending.alertId());
        WorkflowTasks tasks = new WorkflowTasks(staleOnce, new AlertWorkflow(machine.sfn(), machine.arn(), handles));

        byte[] answer = tasks.run(task);

        assertThat(Json.mapper().readTree(answer).path("alert_id").asText()).isEqualTo(pending.alertId());
        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.mapper().readTree(done.output()).path("decision").path("decision").asText())
                .isEqualTo("APPROVED");
    }

    @Test
    void badTaskEvents_failTheInvocation_namingTheProblem_andChangeNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));

        assertThatThrownBy(() -> task("{\"cloudops_task\":\"analyse\",\"alert_id\":\"" + alert.alertId() + "\"}"))
                .isInstanceOf(CloudopsException.class).hasMessageContaining("unknown cloudops_task \"analyse\"");
        assertThatThrownBy(() -> task("{\"cloudops_task\":\"await_decision\",\"alert_id\":\"" + alert.alertId() + "\"}"))
                .isInstanceOf(CloudopsException.class).hasMessage("await_decision: the task event has no task_token");
        assertThatThrownBy(() -> task("{\"cloudops_task\":\"await_decision\",\"alert_id\":7,\"task_token\":\"T\"}"))
                .isInstanceOf(CloudopsException.class).hasMessage("await_decision: alert_id must be a non-empty string");
        assertThatThrownBy(() -> task("{\"cloudops_task\":\"await_decision\",\"alert_id\":\"01JNOSUCHALERT000000000001\","
                + "\"task_token\":\"T\"}"))
                .isInstanceOf(CloudopsException.class).hasMessage("await_decision: there is no alert 01JNOSUCHALERT000000000001");
        assertThat(handles.find(alert.alertId()).orElseThrow().taskToken()).isNull();
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().version()).isEqualTo(alert.version());
    }

    @Test
    void theHttpPath_isUnchanged_aMalformedRequestIsStill400() {
        JsonNode notJson = bed.invoke("{not json".getBytes(StandardCharsets.UTF_8));
        JsonNode notHttp = bed.invoke("{\"alert_id\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(notJson.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notJson.path("body").asText()).contains("the event is not JSON");
        assertThat(notHttp.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notHttp.path("body").asText()).contains("not an API Gateway HTTP API payload 2.0 event");
    }

    /** Starts the alert's workflow as the monitor does, its execution ARN recorded on the alert. */
    private String startWorkflow(Alert alert) {
        String arn = machine.sfn().startExecution(b -> b.stateMachineArn(machine.arn())
                .name(AlertWorkflow.executionName(alert.alertId(), null))
                .input(AlertWorkflow.input(alert.alertId()))).executionArn();
        handles.recordExecution(alert.alertId(), arn);
        return arn;
    }

    private ExecutionStatus status(String execution) {
        return machine.sfn().describeExecution(b -> b.executionArn(execution)).status();
    }

    private JsonNode task(String json) {
        return bed.invoke(json.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode approve(Alert alert) {
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        return postForm(alert, form("csrf", csrf(page), "t", token, "plan_hash", planHash(page),
                "decision", "approve", "approver", "Lee Ops", "comment", "restore it"));
    }
    private JsonNode get(Alert alert, String token) {
        return bed.getReview(alert.alertId(), token);
    }

    private JsonNode postForm(Alert alert, String body) {
        return bed.postForm(alert.alertId(), body);
    }

    private static String csrf(String html) {
        return PortalTestBed.requiredFormField(html, "csrf");
    }

    private static String planHash(String html) {
        return PortalTestBed.requiredFormField(html, "plan_hash");
    }

    private static String form(String... pairs) {
        return PortalTestBed.form(pairs);
    }
}
