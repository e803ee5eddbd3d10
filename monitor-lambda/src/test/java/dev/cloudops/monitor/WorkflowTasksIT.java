package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.monitor.trigger.Task;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.Prober;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.RecordingMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The analyse task's answer against the DynamoDB emulator, with an analysis that proposes a plan. */
@ExtendWith(Emulators.class)
class WorkflowTasksIT {

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private DynamoDbAlertRepository alerts;
    private DomainMonitor monitor;
    private boolean analysisFails;

    @BeforeEach
    void monitor(Dynalite dynalite) {
        String suffix = UUID.randomUUID().toString();
        dynalite.createTable(AlertsTable.createRequest("alerts-" + suffix));
        dynalite.createTable(ControlTable.createRequest("control-" + suffix));
        alerts = new DynamoDbAlertRepository(dynalite.client(), "alerts-" + suffix, Duration.ofDays(7));
        RecordingMonitorEvents events = new RecordingMonitorEvents();
        Investigator withPlan = detected -> {
            if (analysisFails) {
                throw new CloudopsException("the evidence could not be collected");
            }
            return ((TransitionResult.Applied) alerts.apply(detected.analyze(AlertFixtures.analysis(1),
                    Actor.system("analysis:rules"), Instant.now()))).alert();
        };
        // Nothing is probed here; the resolver is never asked.
        Prober prober = Prober.create(new ProbeSettings(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                53)), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1 << 16, Set.of()), Clock.systemUTC());
        monitor = new DomainMonitor(TargetSource.inline("targets: []"),
                new ProbeRunner(prober, 1, 1, Clock.systemUTC()),
                new DomainMonitor.Stores(new DynamoDbProbeStateStore(dynalite.client(), "control-" + suffix),
                        new DynamoDbOpenAlertClaims(dynalite.client(), "control-" + suffix), alerts),
                new DomainMonitor.Alerting(withPlan, events, new UlidGenerator(Clock.systemUTC(), new SecureRandom()),
                        new RecordingMetrics()),
                new DomainMonitor.Policy(Severity.LOW, Duration.ofSeconds(30), Duration.ofHours(24)),
                Clock.systemUTC());
    }

    @Test
    void analyse_answersThePlansHash_andTheRestOfTheDecisionWindow() {
        Alert detected = alerts.create(AlertFixtures.detected("01JWFFRESH000000000000001", "shop.example",
                IssueType.HTTP_ERROR, Instant.now().minus(Duration.ofHours(1))));

        WorkflowTasks.Answer answer = monitor.tasks().run(new Task.Analyse(detected.alertId()), FAR);

        assertThat(answer).isInstanceOfSatisfying(WorkflowTasks.Analysed.class, a -> {
            assertThat(a.state()).isEqualTo(AlertState.PENDING_APPROVAL);
            assertThat(a.planHash()).isEqualTo("a".repeat(64));
            assertThat(a.decisionTimeoutSeconds()).isBetween(Duration.ofHours(23).toSeconds() - 5,
                    Duration.ofHours(23).toSeconds());
        });
        assertThat(alerts.find(detected.alertId()).orElseThrow().planHash()).isEqualTo("a".repeat(64));
    }

    @Test
    void analyse_answersAtLeastOneSecond_whenTheDecisionWindowHasClosed() {
        Alert old = alerts.create(AlertFixtures.detected("01JWFOLD00000000000000001", "shop.example",
                IssueType.HTTP_ERROR, Instant.now().minus(Duration.ofHours(30))));

        WorkflowTasks.Answer answer = monitor.tasks().run(new Task.Analyse(old.alertId()), FAR);

        assertThat(answer).isEqualTo(new WorkflowTasks.Analysed(old.alertId(), AlertState.PENDING_APPROVAL,
                "a".repeat(64), 1));
    }

    @Test
    void analyse_letsAFailedAnalysisEscape_soTheWorkflowRetries_andTheAlertStaysDetected() {
        Alert detected = alerts.create(AlertFixtures.detected("01JWFFAILS00000000000001", "shop.example",
                IssueType.HTTP_ERROR, Instant.now()));
        analysisFails = true;

        assertThatThrownBy(() -> monitor.tasks().run(new Task.Analyse(detected.alertId()), FAR))
                .isInstanceOf(CloudopsException.class).hasMessage("the evidence could not be collected");
        assertThatThrownBy(() -> monitor.tasks().run(new Task.Analyse("01JWFNOSUCHALERT000000001"), FAR))
                .isInstanceOf(CloudopsException.class).hasMessage("no alert 01JWFNOSUCHALERT000000001");
        assertThat(alerts.find(detected.alertId()).orElseThrow().state()).isEqualTo(AlertState.DETECTED);
    }
}
