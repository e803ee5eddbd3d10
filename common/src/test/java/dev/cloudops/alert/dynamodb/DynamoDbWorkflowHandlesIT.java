package dev.cloudops.alert.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.json.RecordJson;
import dev.cloudops.orchestration.WorkflowHandles.Handles;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The alert workflow's handles on the alert item, on dynalite: the execution ARN, and the approval step's
 * token stored only while the alert waits for a decision, kept through transitions and never archived.
 */
@ExtendWith(Emulators.class)
class DynamoDbWorkflowHandlesIT {

    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:alert-workflow:A-1";
    private static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAW-task-token-secret";

    private final Dynalite dynalite;
    private String table;
    private DynamoDbAlertRepository alerts;
    private DynamoDbWorkflowHandles handles;

    DynamoDbWorkflowHandlesIT(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    @BeforeEach
    void createTable() {
        table = "alerts-" + UUID.randomUUID();
        dynalite.createTable(AlertsTable.createRequest(table));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
        handles = new DynamoDbWorkflowHandles(dynalite.client(), table);
    }

    @Test
    void recordExecution_storesTheArnOnTheAlert_andFindReadsIt() {
        Alert alert = alerts.create(AlertFixtures.detected("01JWFRECORD0000000000000001"));

        boolean recorded = handles.recordExecution(alert.alertId(), EXECUTION);

        assertThat(recorded).isTrue();
        assertThat(handles.find(alert.alertId())).contains(new Handles(EXECUTION, null));
        assertThat(rawItem(alert.alertId()).get("workflow_execution_arn").s()).isEqualTo(EXECUTION);
    }

    @Test
    void recordExecution_isFalse_andCreatesNoItem_forAMissingAlert() {
        boolean recorded = handles.recordExecution("01JWFMISSING000000000000001", EXECUTION);

        assertThat(recorded).isFalse();
        assertThat(rawItem("01JWFMISSING000000000000001")).isEmpty();
        assertThat(handles.find("01JWFMISSING000000000000001")).isEmpty();
    }

    @Test
    void storeTaskToken_storesIt_whilePendingApproval() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFPENDING000000000000001"));

        boolean stored = handles.storeTaskToken(pending.alertId(), TOKEN);

        assertThat(stored).isTrue();
        assertThat(handles.find(pending.alertId())).contains(new Handles(null, TOKEN));
    }

    @Test
    void storeTaskToken_isRefused_afterAnApproval() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFAPPROVED00000000000001"));
        approve(pending);

        boolean stored = handles.storeTaskToken(pending.alertId(), TOKEN);

        assertThat(stored).isFalse();
        assertThat(rawItem(pending.alertId())).doesNotContainKey("workflow_task_token");
    }

    @Test
    void storeTaskToken_isRefused_afterARejection() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFREJECTED00000000000001"));
        alerts.apply(pending.reject(AlertFixtures.person("bob"), "on purpose", pending.timestamp().plusSeconds(60)));

        boolean stored = handles.storeTaskToken(pending.alertId(), TOKEN);

        assertThat(stored).isFalse();
        assertThat(rawItem(pending.alertId())).doesNotContainKey("workflow_task_token");
    }

    @Test
    void storeTaskToken_isRefused_beforeTheAnalysis_andForAMissingAlert() {
        Alert detected = alerts.create(AlertFixtures.detected("01JWFDETECTED00000000000001"));

        boolean onDetected = handles.storeTaskToken(detected.alertId(), TOKEN);
        boolean onMissing = handles.storeTaskToken("01JWFMISSING000000000000002", TOKEN);

        assertThat(onDetected).isFalse();
        assertThat(onMissing).isFalse();
        assertThat(rawItem("01JWFMISSING000000000000002")).as("no item made up by the write").isEmpty();
        assertThat(handles.find(detected.alertId())).contains(new Handles(null, null));
    }

    @Test
    void clearTaskToken_removesTheSameToken_only() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFCLEAR00000000000000001"));
        handles.storeTaskToken(pending.alertId(), TOKEN);

        handles.clearTaskToken(pending.alertId(), "a-token-of-an-earlier-wait");

        assertThat(handles.find(pending.alertId())).contains(new Handles(null, TOKEN));

        handles.clearTaskToken(pending.alertId(), TOKEN);

        assertThat(handles.find(pending.alertId())).contains(new Handles(null, null));
        assertThat(rawItem(pending.alertId())).doesNotContainKey("workflow_task_token");
    }

    @Test
    void clearTaskToken_onAnAlertWithoutToken_orMissing_changesNothing() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFNOTOKEN000000000000001"));
        handles.recordExecution(pending.alertId(), EXECUTION);

        handles.clearTaskToken(pending.alertId(), TOKEN);
        handles.clearTaskToken("01JWFMISSING000000000000003", TOKEN);

        assertThat(handles.find(pending.alertId())).contains(new Handles(EXECUTION, null));
        assertThat(rawItem("01JWFMISSING000000000000003")).isEmpty();
    }

    @Test
    void anAlertTransition_keepsTheExecutionArnAndTheToken() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFKEPT000000000000000001"));
        handles.recordExecution(pending.alertId(), EXECUTION);
        handles.storeTaskToken(pending.alertId(), TOKEN);

        TransitionResult result = approve(pending);

        assertThat(result).isInstanceOf(TransitionResult.Applied.class);
        assertThat(alerts.find(pending.alertId()).orElseThrow().state().name()).isEqualTo("APPROVED");
        assertThat(handles.find(pending.alertId())).contains(new Handles(EXECUTION, TOKEN));
    }

    @Test
    void theToken_isNeitherInTheArchivedAlert_norInItsText() {
        Alert pending = alerts.create(AlertFixtures.pending("01JWFSECRET0000000000000001"));
        handles.recordExecution(pending.alertId(), EXECUTION);
        handles.storeTaskToken(pending.alertId(), TOKEN);

        Alert read = alerts.find(pending.alertId()).orElseThrow();

        assertThat(RecordJson.toJson(read).toString()).contains(pending.alertId()).doesNotContain(TOKEN);
        assertThat(read.toString()).contains(pending.alertId()).doesNotContain(TOKEN);
        assertThat(handles.find(pending.alertId()).orElseThrow().toString()).contains("(set)").doesNotContain(TOKEN);
    }

    private TransitionResult approve(Alert pending) {
        return alerts.apply(pending.approve(AlertFixtures.person("alice"), "sub-alice", "ops-lead", "go",
                pending.planHash(), pending.timestamp().plusSeconds(60)));
    }

    private Map<String, AttributeValue> rawItem(String alertId) {
        return dynalite.client().getItem(b -> b.tableName(table).key(Map.of("alert_id", AttributeValue.fromS(alertId))))
                .item();
    }
}
