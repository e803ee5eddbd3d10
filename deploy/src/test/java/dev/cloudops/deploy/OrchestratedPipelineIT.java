package dev.cloudops.deploy;

import static dev.cloudops.deploy.ShippedJars.encode;
import static dev.cloudops.deploy.ShippedJars.event;
import static dev.cloudops.deploy.ShippedJars.field;
import static dev.cloudops.deploy.ShippedJars.root;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.EmulatedAccount;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.LambdaStandIn;
import dev.cloudops.testing.MotoServer;
import dev.cloudops.testing.S3Emulator;
import dev.cloudops.testing.ShippedFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The state machines of statemachines/ run for real on moto server's Step Functions interpreter, their
 * tasks answered by the three shipped function jars (each in its own JVM, as in {@link ShippedJarsIT}, with
 * ORCHESTRATION=stepfunctions) through {@link LambdaStandIn}; the functions' own AWS is the emulated
 * account (dynalite, s3proxy, WireMock) and their Step Functions calls go to the same moto. Each definition
 * runs as committed, its substitutions put in as CloudFormation would; where moto's interpreter lacks a
 * feature the fleet definition uses, the change made for it is listed in {@link #forMoto} and in
 * docs/testing.md.
 */
@ExtendWith(Emulators.class)
class OrchestratedPipelineIT {

    private static final String REGION = EmulatedAccount.REGION;
    private static final String ACCOUNT = "123456789012";
    private static final int SHARDS = 50;
    private static final int TARGETS_PER_SHARD = 2;

    private static MotoServer moto;
    private static LambdaStandIn lambda;
    private static EmulatedAccount account;
    private static AwsClients motoClients;
    private static SfnClient sfn;
    private static ShippedFunction monitor;
    private static ShippedFunction approval;
    private static ShippedFunction execution;
    private static String workflowArn;
    private static String fleetArn;
    private static String fleetBucket;

    @BeforeAll
    static void start(Dynalite dynalite, S3Emulator s3) throws IOException {
        moto = MotoServer.start();
        moto.control("/moto-api/config", "{\"stepfunctions\": {\"execute_state_machine\": true}, "
                + "\"lambda\": {\"use_docker\": false}}");
        lambda = new LambdaStandIn();
        moto.forwardLambdaInvocationsTo(lambda.endpoint());
        motoClients = new AwsClients(new AwsSettings(Region.of(REGION), Optional.of(moto.endpoint())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
        sfn = motoClients.sfn();
        account = new EmulatedAccount(dynalite, s3);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        fleetBucket = "cloudops-fleet-" + suffix;
        moto.clients().s3().createBucket(b -> b.bucket(fleetBucket));
        Map<String, String> substitutions = Map.of(
                "Partition", "aws",
                "MonitorFunctionArn", function("cloudops-monitor"),
                "ApprovalFunctionArn", function("cloudops-approval"),
                "ExecutionFunctionArn", function("cloudops-execution"),
                "TargetsBucket", fleetBucket,
                "TargetsKey", "targets/fleet.json");
        String role = "arn:aws:iam::" + ACCOUNT + ":role/cloudops-workflows";
        String alertDefinition = render("statemachines/alert-workflow.asl.json", substitutions).toString();
        String fleetDefinition = forMoto(render("statemachines/probe-fleet.asl.json", substitutions)).toString();
        workflowArn = sfn.createStateMachine(b -> b.name("cloudops-alert-workflow-" + suffix).roleArn(role)
                .definition(alertDefinition)).stateMachineArn();
        fleetArn = sfn.createStateMachine(b -> b.name("cloudops-probe-fleet-" + suffix).roleArn(role)
                .definition(fleetDefinition)).stateMachineArn();

        Map<String, String> orchestrated = Map.of("ORCHESTRATION", "stepfunctions", "ALERT_WORKFLOW_ARN", workflowArn,
                "AWS_ENDPOINT_URL_SFN", moto.endpoint().toString());
        monitor = ShippedJars.start("MonitorFunction", "monitor-lambda",
                with(account.monitorEnvironment(), orchestrated));
        approval = ShippedJars.start("ApprovalFunction", "approval-lambda",
                with(account.approvalEnvironment(), orchestrated));
        execution = ShippedJars.start("ExecutionFunction", "execution-lambda",
                with(account.executionEnvironment(), orchestrated));
        lambda.bind("cloudops-monitor", monitor).bind("cloudops-approval", approval).bind("cloudops-execution", execution);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {monitor, approval, execution, lambda, account, motoClients, moto}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next resource is still closed
            }
        }
    }

    @BeforeEach
    void siteDown() {
        account.reset(false);
        account.healOnChange(true);
        account.acceptDistributionUpdates();
    }

    @Test
    void approved_runsPreChecksExecuteVerify_andTheAlertCompletes() throws Exception {
        Alert alert = account.pendingAlert();
        String execution = workflow().start(alert.alertId(), null).executionArn();

        DescribeExecutionResponse done = decideWhenWaiting(execution, alert, "approve");

        assertThat(done.status()).as(history(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(states(execution)).containsSubsequence("Analyse", "Notify", "WaitForApproval", "PreChecks", "Execute",
                "Verify", "Done");
        JsonNode output = Template.JSON.readTree(done.output());
        assertThat(output.at("/decision/decision").asText()).isEqualTo("APPROVED");
        assertThat(output.at("/decision/plan_hash").asText()).isEqualTo(alert.planHash());
        Alert stored = account.alerts().find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.COMPLETED);
        assertThat(account.workflowHandles().find(alert.alertId()).orElseThrow().executionArn()).isEqualTo(execution);
        assertThat(account.publishedMessages()).as("no execute message in stepfunctions mode")
                .noneMatch(m -> m.contains(alert.alertId()) && m.contains("plan_hash"));
    }

    @Test
    void approvedByItsRunbook_goesOnWithoutAPerson_throughNotifyAndAnApprovalStepAnsweredAtOnce() throws Exception {
        Alert alert = account.approvedByItsRunbook();
        String execution = workflow().start(alert.alertId(), null).executionArn();

        DescribeExecutionResponse done = awaitEnd(execution);

        assertThat(done.status()).as(history(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(states(execution)).containsSubsequence("Analyse", "Notify", "WaitForApproval", "PreChecks",
                "Execute", "Verify", "Done");
        JsonNode output = Template.JSON.readTree(done.output());
        assertThat(output.at("/analysis/state").asText()).isEqualTo("APPROVED");
        assertThat(output.at("/decision/decision").asText()).isEqualTo("APPROVED");
        assertThat(account.alerts().find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.COMPLETED);
        assertThat(account.teamsPosts()).as("people are told the runbook approved it")
                .anySatisfy(post -> assertThat(post).contains(alert.alertId(), "runbook " + alert.runbookId()));
    }

    @Test
    void rejected_endsTheWorkflowAtRejected_andNothingRuns() throws Exception {
        Alert alert = account.pendingAlert();
        String execution = workflow().start(alert.alertId(), null).executionArn();

        DescribeExecutionResponse done = decideWhenWaiting(execution, alert, "reject");

        assertThat(done.status()).as(history(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(states(execution)).contains("Rejected").doesNotContain("PreChecks", "Execute");
        assertThat(account.alerts().find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.REJECTED);
    }

    @Test
    void nobodyDecides_theApprovalTaskTimesOutWithTheDecisionWindow_andTheAlertExpires() throws Exception {
        // Detected almost a decision window (24 h) ago: the approval task's timeout is the few seconds left.
        Alert alert = account.pendingAlert(Instant.now().minus(Duration.ofHours(24)).plusSeconds(4));
        String execution = workflow().start(alert.alertId(), null).executionArn();

        DescribeExecutionResponse done = awaitEnd(execution);

        assertThat(done.status()).as(history(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(states(execution)).containsSubsequence("WaitForApproval", "Expire", "Expired");
        assertThat(events(execution, e -> e.type().toString().equals("TaskTimedOut"))).isNotEmpty();
        assertThat(account.alerts().find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXPIRED);
    }

    @Test
    void aStepFails_theExecuteTaskFails_andTheWorkflowRollsBack() throws Exception {
        account.refuseDistributionUpdates();
        Alert alert = account.pendingAlert();
        String execution = workflow().start(alert.alertId(), null).executionArn();

        DescribeExecutionResponse done = decideWhenWaiting(execution, alert, "approve");

        assertThat(done.status()).as(history(execution)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("cloudops.RolledBack");
        assertThat(states(execution)).containsSubsequence("Execute", "Rollback", "RolledBack").doesNotContain("Verify");
        assertThat(events(execution, e -> e.type().toString().equals("TaskFailed")))
                .anySatisfy(e -> assertThat(e.taskFailedEventDetails().error()).endsWith("PlanStepFailedException"));
        Alert stored = account.alerts().find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isIn(AlertState.ROLLED_BACK, AlertState.FAILED);
        assertThat(stored.audit()).anySatisfy(e -> assertThat(e.action().name()).isEqualTo("STEP_APPLIED"));
    }

    @Test
    void theTargetStillFails_theVerifyTaskFails_andTheWorkflowRollsBack() throws Exception {
        account.healOnChange(false);
        Alert alert = account.pendingAlert();
        String execution = workflow().start(alert.alertId(), null).executionArn();

        DescribeExecutionResponse done = decideWhenWaiting(execution, alert, "approve");

        assertThat(done.status()).as(history(execution)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("cloudops.RolledBack");
        assertThat(states(execution)).containsSubsequence("Execute", "Verify", "Rollback", "RolledBack");
        assertThat(events(execution, e -> e.type().toString().equals("TaskFailed")))
                .anySatisfy(e -> assertThat(e.taskFailedEventDetails().error()).endsWith("VerificationFailedException"));
        assertThat(account.alerts().find(alert.alertId()).orElseThrow().state())
                .isIn(AlertState.ROLLED_BACK, AlertState.FAILED);
    }

    @Test
    void aDuplicateStart_isRefusedByStepFunctions_andOneExecutionRuns() throws Exception {
        Alert alert = account.pendingAlert();
        AlertWorkflow workflow = workflow();

        AlertWorkflow.Started first = workflow.start(alert.alertId(), null);
        AlertWorkflow.Started second = workflow.start(alert.alertId(), null);

        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.executionArn()).isEqualTo(first.executionArn());
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(workflowArn)).executions())
                .filteredOn(e -> e.name().equals(AlertWorkflow.executionName(alert.alertId(), null))).hasSize(1);
        awaitWaiting(first.executionArn());
        decide(alert, "reject");
        assertThat(awaitEnd(first.executionArn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void theFleet_isProbedByADistributedMapOverFiftyShards_oneMonitorInvocationEach() throws Exception {
        account.reset(true);
        ArrayNode shards = Template.JSON.createArrayNode();
        for (int shard = 0; shard < SHARDS; shard++) {
            ArrayNode targets = shards.addArray();
            for (int t = 0; t < TARGETS_PER_SHARD; t++) {
                targets.addObject().put("url", account.siteUrl("/switch?shard=" + shard + "&target=" + t).toString());
            }
        }
        moto.clients().s3().putObject(b -> b.bucket(fleetBucket).key("targets/fleet.json"),
                RequestBody.fromString(shards.toString()));
        long before = lambda.count("cloudops-monitor", "probe_shard");

        String run = sfn.startExecution(b -> b.stateMachineArn(fleetArn)
                .input("{\"shard_size\": " + TARGETS_PER_SHARD + ", \"max_concurrency\": 10}")).executionArn();
        DescribeExecutionResponse done = awaitEnd(run);

        assertThat(done.status()).as(history(run)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Template.JSON.readTree(done.output()).path("shards").asInt()).isEqualTo(SHARDS);
        List<LambdaStandIn.Invocation> probes = lambda.invocations().stream()
                .filter(i -> i.payload().contains("probe_shard")).skip(before).toList();
        assertThat(probes).hasSize(SHARDS);
        for (LambdaStandIn.Invocation probe : probes) {
            JsonNode payload = Template.JSON.readTree(probe.payload());
            assertThat(payload.path("targets")).hasSize(TARGETS_PER_SHARD);
            assertThat(payload.path("run_started_at").asText()).isNotBlank();
        }
    }

    /**
     * moto 5's interpreter lacks three things the fleet definition uses: ItemBatcher (it does not parse it),
     * EXPRESS child executions (it runs STANDARD ones only), and an integer ToleratedFailurePercentage (it
     * parses a decimal one and ignores it). So the fleet list given to moto is already cut into shards, and
     * each item becomes the batch ItemBatcher would have made ({@code {"Items": [...], "BatchInput": ...}});
     * the rest of the definition runs as committed.
     */
    static ObjectNode forMoto(ObjectNode definition) {
        ObjectNode map = (ObjectNode) definition.path("States").path("ProbeShards");
        JsonNode batcher = map.remove("ItemBatcher");
        ObjectNode selector = map.putObject("ItemSelector");
        selector.put("Items.$", "$$.Map.Item.Value");
        selector.set("BatchInput", batcher.path("BatchInput"));
        ((ObjectNode) map.path("ItemProcessor").path("ProcessorConfig")).put("ExecutionType", "STANDARD");
        map.put("ToleratedFailurePercentage", map.path("ToleratedFailurePercentage").asDouble());
        return definition;
    }

    private static AlertWorkflow workflow() {
        return new AlertWorkflow(sfn, workflowArn, account.workflowHandles());
    }

    /** Once the execution waits for people, decides as they would; then waits for the execution's end. */
    private static DescribeExecutionResponse decideWhenWaiting(String execution, Alert alert, String decision)
            throws Exception {
        awaitWaiting(execution);
        decide(alert, decision);
        return awaitEnd(execution);
    }

    /** Approves or rejects through the approval function, as a person on the review page does. */
    private static void decide(Alert alert, String decision) throws IOException {
        String token = account.reviewToken(alert.alertId());
        JsonNode page = Template.JSON.readTree(approval.invoke(event("approval-lambda", "get-review.json",
                Map.of("ALERT_ID", alert.alertId(), "TOKEN", token))));
        String html = page.path("body").asText();
        String form = "csrf=" + encode(field(ShippedJars.CSRF, html)) + "&t=" + encode(token) + "&plan_hash=" + field(ShippedJars.PLAN_HASH, html)
                + "&decision=" + decision + "&approver=" + encode("Lee Ops") + "&comment=" + encode("decided in the test")
                + (decision.equals("reject") ? "&reason=" + encode("not now") : "");
        JsonNode decided = Template.JSON.readTree(approval.invoke(event("approval-lambda", "post-decision-form.json",
                Map.of("ALERT_ID", alert.alertId(), "CONTENT_LENGTH", Integer.toString(form.length()),
                        "FORM_BASE64", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8))))));
        assertThat(decided.path("statusCode").asInt()).as(decided + "\n" + approval.log()).isEqualTo(200);
    }

    /** Waits until the execution's approval task has started (its token is stored on the alert). */
    private static void awaitWaiting(String execution) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            boolean waiting = !events(execution, e -> e.type().toString().equals("TaskSubmitted")
                    && "lambda".equals(e.taskSubmittedEventDetails().resourceType())
                    && e.taskSubmittedEventDetails().resource().endsWith(".waitForTaskToken")).isEmpty();
            if (waiting || sfn.describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING) {
                Thread.sleep(300); // the await task stores the token
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the approval task never started:\n" + history(execution));
    }

    private static DescribeExecutionResponse awaitEnd(String execution) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        DescribeExecutionResponse response;
        do {
            Thread.sleep(200);
            response = sfn.describeExecution(b -> b.executionArn(execution));
        } while (response.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(deadline));
        return response;
    }

    private static List<HistoryEvent> events(String execution, Predicate<HistoryEvent> which) {
        return sfn.getExecutionHistory(b -> b.executionArn(execution).maxResults(1000)).events().stream()
                .filter(which).toList();
    }

    /** The states entered, in order. */
    private static List<String> states(String execution) {
        return events(execution, e -> e.stateEnteredEventDetails() != null).stream()
                .map(e -> e.stateEnteredEventDetails().name()).toList();
    }

    private static String history(String execution) {
        StringBuilder out = new StringBuilder();
        for (HistoryEvent e : events(execution, e -> true)) {
            out.append(e.type()).append(' ').append(e.stateEnteredEventDetails() != null
                    ? e.stateEnteredEventDetails().name() : e.taskFailedEventDetails() != null
                    ? e.taskFailedEventDetails().error() + ": " + e.taskFailedEventDetails().cause()
                    : e.executionFailedEventDetails() != null ? e.executionFailedEventDetails().error() + ": "
                    + e.executionFailedEventDetails().cause() : "").append('\n');
        }
        return out + "--- monitor ---\n" + monitor.log() + "\n--- approval ---\n" + approval.log()
                + "\n--- execution ---\n" + OrchestratedPipelineIT.execution.log();
    }

    private static String function(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name + ":live";
    }

    /** A definition file with its ${Name} substitutions put in, as CloudFormation does with DefinitionSubstitutions. */
    private static ObjectNode render(String file, Map<String, String> substitutions) throws IOException {
        String text = Files.readString(root().resolve(file));
        for (var s : substitutions.entrySet()) {
            text = text.replace("${" + s.getKey() + "}", s.getValue());
        }
        assertThat(text).as(file + " after substitution").doesNotContainPattern("\\$\\{\\w+}");
        return (ObjectNode) Template.JSON.readTree(text);
    }

    private static Map<String, String> with(Map<String, String> env, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return all;
    }
}
