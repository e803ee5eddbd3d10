package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.ApprovalStepMachine;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * An alert the monitor closes while people have not decided (recovered, expired) ends its workflow's approval
 * step at once with cloudops.Closed, on a real waiting step of moto's interpreter (a moto of its own: this
 * one executes state machines, which MonitorWorkflowIT's shared one must not).
 */
@ExtendWith(Emulators.class)
class ClosingWorkflowsIT {

    private static MotoServer moto;
    private final Dynalite dynalite;
    private ApprovalStepMachine machine;
    private DynamoDbAlertRepository alerts;
    private DynamoDbWorkflowHandles handles;
    private final RecordingMonitorEvents told = new RecordingMonitorEvents();

    ClosingWorkflowsIT(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void account() {
        String table = "alerts-" + UUID.randomUUID();
        dynalite.createTable(AlertsTable.createRequest(table));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
        handles = new DynamoDbWorkflowHandles(dynalite.client(), table);
        machine = ApprovalStepMachine.create(moto, Duration.ofMinutes(5));
    }

    @Test
    void aRecoveredAlert_endsItsWorkflowsWait_withCloudopsClosed_andPeopleAreStillTold() {
        Alert pending = alerts.create(AlertFixtures.pending("01JCLOSEDRECOVERED00000001"));
        String execution = waitingWorkflow(pending);
        Alert resolved = ((TransitionResult.Applied) alerts.apply(pending.resolveRecovered(Actor.system("monitor"),
                "healthy again", Instant.now()))).alert();

        events(machine.sfn()).recovered(resolved);

        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo(AlertWorkflow.CLOSED);
        assertThat(done.cause()).contains("RESOLVED");
        assertThat(told.recovered).extracting(Alert::alertId).containsExactly(pending.alertId());
        assertThat(handles.find(pending.alertId()).orElseThrow().taskToken()).as("the used token is removed").isNull();
    }

    @Test
    void anExpiredAlert_endsItsWorkflowsWait_withCloudopsClosed() {
        Alert pending = alerts.create(AlertFixtures.pending("01JCLOSEDEXPIRED0000000001"));
        String execution = waitingWorkflow(pending);
        Alert expired = ((TransitionResult.Applied) alerts.apply(pending.expire(Actor.system("monitor"),
                "nobody decided within 24 h", Instant.now()))).alert();

        events(machine.sfn()).expired(expired);

        DescribeExecutionResponse done = machine.finished(execution);
        assertThat(done.error()).isEqualTo(AlertWorkflow.CLOSED);
        assertThat(done.cause()).contains("EXPIRED");
        assertThat(told.expired).extracting(Alert::alertId).containsExactly(pending.alertId());
    }

    @Test
    void whenStepFunctionsCannotBeReached_peopleAreStillTold_andNothingIsThrown() {
        Alert pending = alerts.create(AlertFixtures.pending("01JCLOSEDUNREACHABLE000001"));
        waitingWorkflow(pending);
        Alert resolved = ((TransitionResult.Applied) alerts.apply(pending.resolveRecovered(Actor.system("monitor"),
                "healthy again", Instant.now()))).alert();
        try (SfnClient unreachable = SfnClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9")).credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {

            events(unreachable).recovered(resolved);
        }

        assertThat(told.recovered).extracting(Alert::alertId).containsExactly(pending.alertId());
        assertThat(handles.find(pending.alertId()).orElseThrow().taskToken()).as("kept for the timeout's path")
                .isNotNull();
    }

    /** Starts the workflow and waits until its approval step's token is stored on the alert, as await_decision does. */
    private String waitingWorkflow(Alert pending) {
        String execution = new AlertWorkflow(machine.sfn(), machine.arn(), handles).start(pending.alertId(), null)
                .executionArn();
        String token = machine.nextTaskEvent().path("task_token").asText();
        assertThat(handles.storeTaskToken(pending.alertId(), token)).isTrue();
        return execution;
    }

    private MonitorEvents events(SfnClient sfn) {
        return new ClosingWorkflows(told, new AlertWorkflow(sfn, machine.arn(), handles));
    }
}
