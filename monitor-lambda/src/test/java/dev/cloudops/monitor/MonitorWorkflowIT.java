package dev.cloudops.monitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.monitor.trigger.InvalidEventException;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.LambdaContext;
import dev.cloudops.testing.MotoServer;
import dev.cloudops.testing.S3Emulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * The monitor with ORCHESTRATION=stepfunctions, through its handler and production wiring: a new alert starts
 * its workflow (moto's Step Functions) instead of being analysed and announced here, and the workflow's tasks
 * (analyse, notify, expire, probe_shard) do those steps, each answering the JSON its state machine reads.
 */
class MonitorWorkflowIT extends LoopbackAccount {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEAMS_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/teams-AbCdEf";
    private static final String KEY_ARN =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/review-key-AbCdEf";

    private static MotoServer moto;
    private static SfnClient sfn;

    private String suffix;
    private String stateMachineArn;

    /** moto records each StartExecution and runs no definition: the tests invoke the tasks themselves. */
    @BeforeAll
    static void startStepFunctions(MotoServer server) {
        moto = server;
        sfn = server.clients().sfn();
    }

    @BeforeEach
    void account() {
        suffix = UUID.randomUUID().toString();
        stateMachineArn = sfn().createStateMachine(b -> b.name("alert-workflow-" + suffix)
                .roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/cloudops-workflow")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")).stateMachineArn();
        dynalite.createTable(AlertsTable.createRequest("alerts-" + suffix));
        dynalite.createTable(ControlTable.createRequest("control-" + suffix));
        s3.clients().s3().createBucket(b -> b.bucket("artifacts-" + suffix));
        otherServices.resetRequests();
        teamsAndSigningKey(TEAMS_ARN, KEY_ARN);
        site.switchUp(true);
    }

    @Test
    void aFailingTarget_staysDetected_andStartsItsWorkflowOnce_withoutAnalysisOrNotification() throws IOException {
        MonitorHandler handler = handler("    failures_before_alert: 1\n");
        site.switchUp(false);

        JsonNode first = invoke(handler, "scheduled-event.json");
        JsonNode second = invoke(handler, "scheduled-event.json");

        assertThat(first.at("/0/targets/0/action").asText()).isEqualTo("RAISED");
        assertThat(second.at("/0/targets/0/action").asText()).isEqualTo("COUNTED");
        String alertId = first.at("/0/targets/0/alert_ids/0").asText();
        Alert alert = alerts().find(alertId).orElseThrow();
        assertThat(alert.state()).isEqualTo(AlertState.DETECTED);
        assertThat(alert.s3AnalysisKey()).isNull();
        assertThat(alert.audit()).extracting(e -> e.action()).containsOnly(AuditAction.DETECTED);
        List<ExecutionListItem> executions = executions();
        assertThat(executions).singleElement().satisfies(e ->
                assertThat(e.name()).isEqualTo(AlertWorkflow.executionName(alertId, null)));
        String input = sfn().describeExecution(b -> b.executionArn(executions.getFirst().executionArn())).input();
        assertThat(JSON.readTree(input)).isEqualTo(JSON.readTree("{\"alert_id\":\"" + alertId + "\"}"));
        assertThat(handles().find(alertId).orElseThrow().executionArn()).isEqualTo(executions.getFirst().executionArn());
        otherServices.verify(0, postRequestedFor(urlEqualTo("/teams")));
    }

    @Test
    void analyse_movesTheDetectedAlertToPendingApproval_andAnswersItsPlanAndDecisionTimeout() throws IOException {
        MonitorHandler handler = handler("    failures_before_alert: 1\n");
        String alertId = raise(handler);

        JsonNode answer = task(handler, "{\"cloudops_task\":\"analyse\",\"alert_id\":\"" + alertId + "\"}");

        Alert analysed = alerts().find(alertId).orElseThrow();
        assertThat(analysed.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(analysed.s3AnalysisKey()).isNotNull();
        assertThat(s3.clients().s3().getObjectAsBytes(b -> b.bucket("artifacts-" + suffix).key(analysed.s3AnalysisKey()))
                .asUtf8String()).contains("## Executive Summary");
        assertThat(answer.get("alert_id").asText()).isEqualTo(alertId);
        assertThat(answer.get("state").asText()).isEqualTo("PENDING_APPROVAL");
        assertThat(answer.get("plan_hash").isNull() ? null : answer.get("plan_hash").asText())
                .isEqualTo(analysed.planHash());
        long window = Duration.ofHours(24).toSeconds();
        long sinceRaised = Duration.between(analysed.timestamp(), Instant.now()).toSeconds();
        assertThat(answer.get("decision_timeout_seconds").asLong()).isBetween(window - sinceRaised - 2, window);
        otherServices.verify(0, postRequestedFor(urlEqualTo("/teams")));
    }

    @Test
    void analyse_repeated_answersTheSame_andChangesNothing() throws IOException {
        MonitorHandler handler = handler("    failures_before_alert: 1\n");
        String alertId = raise(handler);
        String event = "{\"cloudops_task\":\"analyse\",\"alert_id\":\"" + alertId + "\"}";
        JsonNode first = task(handler, event);
        Alert afterFirst = alerts().find(alertId).orElseThrow();

        JsonNode again = task(handler, event);

        Alert afterAgain = alerts().find(alertId).orElseThrow();
        assertThat(afterAgain.version()).isEqualTo(afterFirst.version());
        assertThat(afterAgain.s3AnalysisKey()).isEqualTo(afterFirst.s3AnalysisKey());
        assertThat(again.get("state")).isEqualTo(first.get("state"));
        assertThat(again.get("plan_hash")).isEqualTo(first.get("plan_hash"));
        assertThat(again.get("decision_timeout_seconds").asLong())
                .isBetween(first.get("decision_timeout_seconds").asLong() - 5,
                        first.get("decision_timeout_seconds").asLong());
    }

    @Test
    void notify_sendsTheAnnouncementWithItsReviewLink_once() throws IOException {
        MonitorHandler handler = handler("    failures_before_alert: 1\n");
        String alertId = raise(handler);
        task(handler, "{\"cloudops_task\":\"analyse\",\"alert_id\":\"" + alertId + "\"}");
        String event = "{\"cloudops_task\":\"notify\",\"alert_id\":\"" + alertId + "\"}";

        JsonNode answer = task(handler, event);
        JsonNode again = task(handler, event);

        otherServices.verify(1, postRequestedFor(urlEqualTo("/teams")));
        otherServices.verify(postRequestedFor(urlEqualTo("/teams"))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.actions[0].url",
                        matching("https://review\\.example\\.com/alerts/" + alertId
                                + "\\?t=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"))));
        assertThat(answer.get("alert_id").asText()).isEqualTo(alertId);
        assertThat(answer.get("detail").asText()).startsWith("announced: teams: MEDIUM: HTTP_ERROR");
        assertThat(again.get("detail").asText()).startsWith("announced already: teams:");
        assertThat(alerts().find(alertId).orElseThrow().audit())
                .filteredOn(e -> e.action() == AuditAction.NOTIFIED).hasSize(1);
    }

    @Test
    void expire_expiresAPendingAlert_andTellsPeople_butLeavesADecidedOneAlone() throws IOException {
        MonitorHandler handler = handler("");
        Alert pending = alerts().create(AlertFixtures.pending("01JWFPENDING0000000000001"));
        Alert approved = alerts().create(AlertFixtures.approved("01JWFAPPROVED000000000001"));

        JsonNode expired = task(handler, "{\"cloudops_task\":\"expire\",\"alert_id\":\"" + pending.alertId() + "\"}");
        JsonNode decided = task(handler, "{\"cloudops_task\":\"expire\",\"alert_id\":\"" + approved.alertId() + "\"}");

        assertThat(expired.get("state").asText()).isEqualTo("EXPIRED");
        assertThat(alerts().find(pending.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXPIRED);
        otherServices.verify(1, postRequestedFor(urlEqualTo("/teams")));
        assertThat(alerts().find(pending.alertId()).orElseThrow().audit())
                .anySatisfy(e -> assertThat(e.action()).isEqualTo(AuditAction.NOTIFIED));
        assertThat(decided.get("state").asText()).isEqualTo("APPROVED");
        // An approval whose answer to the workflow was lost: the workflow goes on with the approved plan.
        assertThat(decided.get("plan_hash").asText()).isEqualTo(approved.planHash());
        Alert unchanged = alerts().find(approved.alertId()).orElseThrow();
        assertThat(unchanged.state()).isEqualTo(AlertState.APPROVED);
        assertThat(unchanged.version()).isEqualTo(approved.version());
    }

    @Test
    void probeShard_probesItsTargets_andRaisesTheConfirmedFailure() throws IOException {
        MonitorHandler handler = handler("");
        site.switchUp(false);
        String targets = "[{\"url\":\"" + site.url("127.0.0.1", "/switch") + "\",\"failures_before_alert\":1},"
                + "{\"url\":\"" + site.url("127.0.0.1", "/") + "\"},"
                + "{\"url\":\"" + site.url("127.0.0.1", "/plain") + "\",\"keyword\":\"Maintenance\"}]";

        JsonNode answer = task(handler, "{\"cloudops_task\":\"probe_shard\",\"targets\":" + targets
                + ",\"run_started_at\":\"2026-12-07T10:00:00.123Z\"}");

        assertThat(answer.get("probed").asInt()).isEqualTo(3);
        assertThat(answer.get("failing").asInt()).isEqualTo(1);
        assertThat(answer.get("alerts")).hasSize(1);
        Alert alert = alerts().find(answer.at("/alerts/0").asText()).orElseThrow();
        assertThat(alert.state()).isEqualTo(AlertState.DETECTED);
        assertThat(alert.targetUrl()).isEqualTo(site.url("127.0.0.1", "/switch").toString());
        assertThat(executions()).singleElement().satisfies(e ->
                assertThat(e.name()).isEqualTo(AlertWorkflow.executionName(alert.alertId(), null)));
        assertThat(probeStates().find(site.url("127.0.0.1", "/")).orElseThrow().consecutiveSuccesses()).isEqualTo(1);
    }

    @Test
    void probeShard_withBadEntries_isRefusedNamingEach_andChangesNothing() {
        MonitorHandler handler = handler("");
        String event = "{\"cloudops_task\":\"probe_shard\",\"run_started_at\":\"2026-12-07T10:00:00Z\",\"targets\":["
                + "{\"url\":\"" + site.url("127.0.0.1", "/") + "\"},"
                + "{\"url\":\"not a url\"},"
                + "{\"url\":\"" + site.url("127.0.0.1", "/plain") + "\",\"failures_before_alrt\":1}]}";

        assertThatThrownBy(() -> task(handler, event))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("targets[1]: 'url' is not a valid URL")
                .hasMessageContaining("targets[2]: unknown setting 'failures_before_alrt'");
        assertThat(probeStates().find(site.url("127.0.0.1", "/"))).isEmpty();
    }

    @Test
    void aTaskEvent_thatIsUnknownOrLacksItsAlert_isRefused_andChangesNothing() {
        MonitorHandler handler = handler("");
        Alert pending = alerts().create(AlertFixtures.pending("01JWFUNTOUCHED00000000001"));

        assertThatThrownBy(() -> task(handler, "{\"cloudops_task\":\"reboot\",\"alert_id\":\"" + pending.alertId()
                + "\"}")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("unknown workflow task \"reboot\"")
                .hasMessageContaining("analyse, notify, expire, probe_shard");
        assertThatThrownBy(() -> task(handler, "{\"cloudops_task\":\"expire\"}"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'alert_id' is missing");
        assertThatThrownBy(() -> task(handler, "{\"cloudops_task\":\"probe_shard\",\"targets\":{}}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'run_started_at' is missing")
                .hasMessageContaining("'targets' must be a non-empty list of target entries");
        assertThat(alerts().find(pending.alertId()).orElseThrow().version()).isEqualTo(pending.version());
    }

    @Test
    void aWorkflowThatDidNotStart_isReported_andStartedByALaterScheduledRun() throws IOException {
        MonitorHandler unavailable = handler("    failures_before_alert: 1\n", URI.create("http://127.0.0.1:9"),
                Clock.systemUTC());
        site.switchUp(false);

        JsonNode report = invoke(unavailable, "scheduled-event.json");

        String alertId = report.at("/0/targets/0/alert_ids/0").asText();
        assertThat(report.at("/0/targets/0/action").asText()).isEqualTo("RAISED");
        assertThat(report.at("/0/targets/0/details").asText()).contains("its workflow did not start");
        assertThat(alerts().find(alertId).orElseThrow().state()).isEqualTo(AlertState.DETECTED);
        assertThat(executions()).isEmpty();

        invoke(handler("    failures_before_alert: 1\n"), "scheduled-event.json");
        assertThat(executions()).as("not yet: the alert is younger than a minute").isEmpty();

        MonitorHandler later = handler("    failures_before_alert: 1\n", moto.endpoint(),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));
        invoke(later, "scheduled-event.json");
        invoke(later, "scheduled-event.json");

        assertThat(executions()).singleElement().satisfies(e ->
                assertThat(e.name()).isEqualTo(AlertWorkflow.executionName(alertId, null)));
        assertThat(handles().find(alertId).orElseThrow().executionArn()).isNotNull();
    }

    private String raise(MonitorHandler handler) throws IOException {
        site.switchUp(false);
        String alertId = invoke(handler, "scheduled-event.json").at("/0/targets/0/alert_ids/0").asText();
        assertThat(alerts().find(alertId).orElseThrow().state()).isEqualTo(AlertState.DETECTED);
        return alertId;
    }

    private MonitorHandler handler(String settings) {
        return handler(settings, moto.endpoint(), Clock.systemUTC());
    }

    private MonitorHandler handler(String settings, URI stepFunctions, Clock clock) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", otherServices.baseUrl());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("ALERTS_TABLE", "alerts-" + suffix);
        env.put("CONTROL_TABLE", "control-" + suffix);
        env.put("ARTIFACTS_BUCKET", "artifacts-" + suffix);
        env.put("DNS_RESOLVERS", "127.0.0.1:" + dns.endpoint().getPort());
        env.put("TARGETS", "targets:\n  - url: " + site.url("127.0.0.1", "/switch") + "\n" + settings);
        env.put("NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", TEAMS_ARN);
        env.put("REVIEW_SIGNING_SECRET_ARN", KEY_ARN);
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("ORCHESTRATION", "stepfunctions");
        env.put("ALERT_WORKFLOW_ARN", stateMachineArn);
        MonitorConfig config = MonitorConfig.from(env);
        Map<String, URI> endpoints = new HashMap<>(config.aws().serviceEndpoints());
        endpoints.put("SFN", stepFunctions);
        AwsClients clients = new AwsClients(new AwsSettings(config.aws().region(), config.aws().endpoint(), endpoints),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Emulator.ACCESS_KEY,
                        S3Emulator.SECRET_KEY)));
        return new MonitorHandler(config, clients, clock);
    }

    private static SfnClient sfn() {
        return sfn;
    }

    private List<ExecutionListItem> executions() {
        return sfn().listExecutions(b -> b.stateMachineArn(stateMachineArn)).executions();
    }

    private DynamoDbAlertRepository alerts() {
        return new DynamoDbAlertRepository(dynalite.client(), "alerts-" + suffix, Duration.ofDays(7));
    }

    private DynamoDbWorkflowHandles handles() {
        return new DynamoDbWorkflowHandles(dynalite.client(), "alerts-" + suffix);
    }

    private DynamoDbProbeStateStore probeStates() {
        return new DynamoDbProbeStateStore(dynalite.client(), "control-" + suffix);
    }

    private static JsonNode task(MonitorHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                LambdaContext.fixed("cloudops-monitor", 60_000));
        return JSON.readTree(out.toByteArray());
    }

    private static JsonNode invoke(MonitorHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = MonitorWorkflowIT.class.getResourceAsStream("/events/" + event)) {
            handler.handleRequest(in, out, LambdaContext.fixed("cloudops-monitor", 60_000));
        }
        return JSON.readTree(out.toByteArray());
    }
}
