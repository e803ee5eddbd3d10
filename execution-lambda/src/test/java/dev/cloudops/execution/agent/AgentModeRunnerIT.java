package dev.cloudops.execution.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.cloudops.testing.BedrockStandIn.chunk;
import static dev.cloudops.testing.BedrockStandIn.returnControl;
import static dev.cloudops.testing.BedrockStandIn.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.execution.ExecutionLog;
import dev.cloudops.execution.Progress;
import dev.cloudops.execution.StepRunner.RunResult;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepFailedException;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.BedrockStandIn;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Agent mode against a scripted Bedrock agent speaking the event-stream wire format, alerts in dynalite, reports in S3. */
@ExtendWith(Emulators.class)
class AgentModeRunnerIT {

    private static final String ALERT_ID = "01JAGENTMODE00000000000001";
    private static final String SESSION = "session-1"; // the analysis session of AlertFixtures.analysis
    private static final String GROUP = "write-tools";
    private static final String REPORT = """
            # Analysis of www.example.com

            ## Root Cause
            The alias record of shop.example.com was deleted at 02:10 (E1); the distribution is healthy (E2).

            ## Critical Findings
            | # | Finding | Evidence | Severity |
            |---|---|---|---|
            | 1 | The alias record is missing | E1 | high |
            """;

    private static DynamoDbClient dynamoDb;
    private static S3Emulator s3Emulator;

    private DynamoDbAlertRepository alerts;
    private S3ArtifactStore artifacts;
    private BedrockStandIn bedrock;
    private Alert alert;

    @BeforeAll
    static void connect(Dynalite dynalite, S3Emulator s3) {
        dynamoDb = dynalite.client();
        s3Emulator = s3;
    }

    @BeforeEach
    void start() {
        String table = "alerts-" + UUID.randomUUID();
        Dynalite.createTable(dynamoDb, AlertsTable.createRequest(table));
        alerts = new DynamoDbAlertRepository(dynamoDb, table, Duration.ofDays(7));
        String bucket = "artifacts-" + UUID.randomUUID();
        S3Client s3 = s3Emulator.clients().s3();
        s3.createBucket(b -> b.bucket(bucket));
        artifacts = new S3ArtifactStore(s3, s3Emulator.clients().s3Presigner(), bucket, Duration.ofMinutes(15),
                Optional.empty());
        Alert approved = AlertFixtures.approved(ALERT_ID);
        String reportKey = artifacts.put(new Artifact(ArtifactKind.ANALYSIS, ALERT_ID, approved.domain(),
                approved.timestamp(), REPORT.getBytes(StandardCharsets.UTF_8)));
        alert = alerts.create(approved.toBuilder().s3AnalysisKey(reportKey).build());
        bedrock = BedrockStandIn.start();
    }

    @AfterEach
    void stop() {
        bedrock.close();
    }

    @Test
    void run_executesOnlyTheApprovedStep_andRefusesAndAuditsEverythingElse() {
        PlanStep upsert = AgentCalls.step("S1", new Action.UpsertRecord(AgentCalls.ALIAS));
        Plan plan = new Plan("Restore the alias record.", List.of(upsert,
                AgentCalls.manual("S2", "Find out who deleted the record.")));
        Map<String, String> modified = new LinkedHashMap<>(AgentCalls.parameters(upsert));
        modified.put("record_set", modified.get("record_set").replace("d111111abcdef8.cloudfront.net",
                "d999999attacker.cloudfront.net"));
        bedrock.onPrompt(SESSION, call("inv-1", upsert), trace(3000, 100));
        bedrock.onResults(SESSION, "inv-1", returnControl("inv-2", GROUP, "route53_delete_hosted_zone",
                Map.of("step_id", "S1", "hosted_zone_id", AgentCalls.ZONE)), trace(3200, 60));
        bedrock.onResults(SESSION, "inv-2", returnControl("inv-3", GROUP, "route53_upsert_record", modified),
                trace(3400, 60));
        bedrock.onResults(SESSION, "inv-3", chunk("S1: route53_upsert_record applied. "),
                chunk("S2 is for a person."), trace(3600, 80));
        RecordingExecutor executor = new RecordingExecutor();
        ExecutionLog log = new ExecutionLog(alert, "agent", Clock.systemUTC());

        RunResult result = runner(executor, 6).run(alert, plan, observed(upsert), log, Progress.unbounded());

        assertThat(result.failure()).isEmpty();
        assertThat(result.stepsDone()).isEqualTo(1);
        assertThat(result.applied()).extracting(a -> a.step().id()).containsExactly("S1");
        assertThat(executor.applied()).containsExactly(upsert);
        assertThat(refusals()).satisfiesExactly(
                e -> assertThat(e.detail()).startsWith("route53_delete_hosted_zone {")
                        .contains(AgentCalls.ZONE).endsWith(": route53_delete_hosted_zone is not a write tool of the catalog"),
                e -> assertThat(e.detail()).startsWith("route53_upsert_record {")
                        .contains("parameters differ from approved step S1: alias approved")
                        .contains("asked {\"dns_name\":\"d999999attacker.cloudfront.net\""));
        assertThat(refusals()).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo("execution");
            assertThat(e.result()).isEqualTo("refused");
        });
        assertThat(bedrock.resultsFor("inv-1")).singleElement().asString().startsWith("DONE: step S1");
        assertThat(bedrock.resultsFor("inv-2")).singleElement().asString()
                .isEqualTo("REFUSED: route53_delete_hosted_zone is not a write tool of the catalog");
        assertThat(bedrock.resultsFor("inv-3")).singleElement().asString()
                .startsWith("REFUSED: parameters differ from approved step S1");
        bedrock.server().verify(4, postRequestedFor(urlEqualTo(BedrockStandIn.path(SESSION))));
        String prompt = bedrock.prompt();
        assertThat(prompt).contains(REPORT).contains(PlanJson.canonical(plan)).contains("1. S1: route53_upsert_record");
        assertThat(log.markdown())
                .contains("## Agent transcript")
                .contains("round 1: route53_upsert_record {")
                .contains("→ runs approved step S1")
                .contains("### S1 route53.upsert_record — done")
                .contains("round 2: route53_delete_hosted_zone {\"hosted_zone_id\":\"" + AgentCalls.ZONE
                        + "\",\"step_id\":\"S1\"} → REFUSED: route53_delete_hosted_zone is not a write tool")
                .contains("round 3: route53_upsert_record {")
                .contains("final answer: S1: route53_upsert_record applied. S2 is for a person.")
                .contains("tokens: 13200 in, 300 out");
    }

    @Test
    void run_failsNamingTheStep_whenTheAgentStopsWithoutRunningIt() {
        PlanStep upsert = AgentCalls.step("S1", new Action.UpsertRecord(AgentCalls.ALIAS));
        PlanStep enable = AgentCalls.step("S2", new Action.SetEnabled(AgentCalls.DISTRIBUTION, true));
        Plan plan = new Plan("Restore the record, enable the distribution.", List.of(upsert, enable));
        bedrock.onPrompt(SESSION, call("inv-1", upsert));
        bedrock.onResults(SESSION, "inv-1", chunk("All steps done, the site is back."));
        RecordingExecutor executor = new RecordingExecutor();

        RunResult result = runner(executor, 6).run(alert, plan, observed(upsert, enable), log(), Progress.unbounded());

        assertThat(result.failure()).hasValue("the agent did not run approved step S2 (cloudfront.set_enabled)");
        assertThat(result.stepsDone()).isEqualTo(1);
        assertThat(executor.applied()).containsExactly(upsert);
    }

    @Test
    void run_refusesAStep_whenAnEarlierApprovedStepHasNotRun() {
        PlanStep upsert = AgentCalls.step("S1", new Action.UpsertRecord(AgentCalls.ALIAS));
        PlanStep enable = AgentCalls.step("S2", new Action.SetEnabled(AgentCalls.DISTRIBUTION, true));
        Plan plan = new Plan("Restore the record, enable the distribution.", List.of(upsert, enable));
        bedrock.onPrompt(SESSION, call("inv-1", enable));
        bedrock.onResults(SESSION, "inv-1", call("inv-2", upsert));
        bedrock.onResults(SESSION, "inv-2", call("inv-3", enable));
        bedrock.onResults(SESSION, "inv-3", chunk("Done."));
        RecordingExecutor executor = new RecordingExecutor();

        RunResult result = runner(executor, 6).run(alert, plan, observed(upsert, enable), log(), Progress.unbounded());

        assertThat(bedrock.resultsFor("inv-1")).singleElement().asString()
                .isEqualTo("REFUSED: step S2 comes after step S1, which has not run yet");
        assertThat(executor.applied()).containsExactly(upsert, enable);
        assertThat(result.failure()).isEmpty();
        assertThat(refusals()).singleElement().extracting(AuditEvent::detail).asString()
                .startsWith("cloudfront_set_enabled {");
    }

    @Test
    void run_stopsAtAFailedStep_andReturnsWhatWasAppliedBeforeIt() {
        PlanStep upsert = AgentCalls.step("S1", new Action.UpsertRecord(AgentCalls.ALIAS));
        PlanStep enable = AgentCalls.step("S2", new Action.SetEnabled(AgentCalls.DISTRIBUTION, true));
        Plan plan = new Plan("Restore the record, enable the distribution.", List.of(upsert, enable));
        bedrock.onPrompt(SESSION, call("inv-1", upsert));
        bedrock.onResults(SESSION, "inv-1", call("inv-2", enable));
        bedrock.onResults(SESSION, "inv-2", chunk("Done."));
        RecordingExecutor executor = spy(new RecordingExecutor());
        String refusal = "CloudFront refused the change: PreconditionFailed: the ETag is not the distribution's";
        doThrow(new StepFailedException(refusal, List.of(), null)).when(executor)
                .apply(any(), argThat(step -> step != null && step.id().equals("S2")), any());
        ExecutionLog log = log();

        RunResult result = runner(executor, 6).run(alert, plan, observed(upsert, enable), log, Progress.unbounded());

        assertThat(result.failure()).hasValueSatisfying(f -> assertThat(f)
                .isEqualTo("step S2 (cloudfront.set_enabled) failed: " + refusal));
        assertThat(result.applied()).extracting(a -> a.step().id()).containsExactly("S1");
        assertThat(executor.applied()).containsExactly(upsert);
        bedrock.server().verify(2, postRequestedFor(urlEqualTo(BedrockStandIn.path(SESSION))));
        assertThat(log.markdown()).contains("### S2 cloudfront.set_enabled — FAILED: " + refusal)
                .contains("stopped: step S2 (cloudfront.set_enabled) failed");
    }

    @Test
    void run_failsWithoutApplyingAnything_whenBedrockThrottles() {
        PlanStep upsert = AgentCalls.step("S1", new Action.UpsertRecord(AgentCalls.ALIAS));
        bedrock.server().stubFor(post(urlEqualTo(BedrockStandIn.path(SESSION))).willReturn(aResponse().withStatus(429)
                .withHeader("x-amzn-ErrorType", "ThrottlingException")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Your request rate is too high.\"}")));
        RecordingExecutor executor = new RecordingExecutor();

        RunResult result = runner(executor, 6).run(alert, new Plan(null, List.of(upsert)), observed(upsert), log(),
                Progress.unbounded());

        assertThat(result.failure()).hasValueSatisfying(f -> assertThat(f)
                .startsWith("the agent stopped answering: InvokeAgent failed"));
        assertThat(result.applied()).isEmpty();
        assertThat(executor.applied()).isEmpty();
    }

    @Test
    void run_stopsAtTheRoundCap_withoutRunningTheLastRequest() {
        PlanStep upsert = AgentCalls.step("S1", new Action.UpsertRecord(AgentCalls.ALIAS));
        bedrock.onPrompt(SESSION, returnControl("inv-1", GROUP, "route53_delete_hosted_zone",
                Map.of("step_id", "S1", "hosted_zone_id", AgentCalls.ZONE)));
        bedrock.onResults(SESSION, "inv-1", call("inv-2", upsert));
        RecordingExecutor executor = new RecordingExecutor();

        RunResult result = runner(executor, 2).run(alert, new Plan(null, List.of(upsert)), observed(upsert), log(),
                Progress.unbounded());

        assertThat(result.failure()).hasValue("the agent still asked for tools after 2 rounds");
        assertThat(executor.applied()).isEmpty();
    }

    private AgentModeRunner runner(RecordingExecutor executor, int maxRounds) {
        return new AgentModeRunner(new AgentModeRunner.Agent(bedrock.runtime(), BedrockStandIn.AGENT_ID,
                BedrockStandIn.ALIAS_ID), AgentModeRunner.reportsIn(artifacts), new StepExecutors(List.of(executor)),
                alerts, new AgentModeRunner.Limits(maxRounds, Duration.ofSeconds(20)), Clock.systemUTC());
    }

    private ExecutionLog log() {
        return new ExecutionLog(alert, "agent", Clock.systemUTC());
    }

    private List<AuditEvent> refusals() {
        return alerts.find(ALERT_ID).orElseThrow().audit().stream()
                .filter(e -> e.action() == AuditAction.TOOL_REFUSED).toList();
    }

    /** The agent asking for exactly the approved step. */
    private static byte[] call(String invocationId, PlanStep step) {
        return returnControl(invocationId, GROUP, AgentCalls.function(step), AgentCalls.parameters(step));
    }

    /** What the preflight observed, per step. */
    private static Map<String, Observation> observed(PlanStep... steps) {
        Map<String, Observation> observed = new LinkedHashMap<>();
        for (PlanStep step : steps) {
            observed.put(step.id(), new Observation(Map.of("state", "as analysed"), step.id()));
        }
        return observed;
    }
}
