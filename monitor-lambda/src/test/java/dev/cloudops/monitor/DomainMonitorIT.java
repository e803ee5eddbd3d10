package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Resolution;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.monitor.RunReport.Action;
import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.probe.FakeDnsServer;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.SaturatedRunners;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.Prober;
import dev.cloudops.probe.TestCertificates;
import dev.cloudops.probe.TestSite;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.monitor.trigger.Trigger;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.RecordingMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Detection over consecutive runs against the DynamoDB emulator and a real loopback site. */
@ExtendWith(Emulators.class)
class DomainMonitorIT {

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private static DynamoDbClient dynamoDb;
    private static FakeDnsServer dns;
    private static TestSite site;
    private static ProbeRunner runner;

    private DynamoDbAlertRepository alerts;
    private DynamoDbProbeStateStore states;
    private RecordingMonitorEvents events;
    private RecordingMetrics metrics;
    private URI url;
    private String control;

    @BeforeAll
    static void start(Dynalite dynalite) {
        dynamoDb = dynalite.client();
        TestCertificates certificates = new TestCertificates();
        dns = new FakeDnsServer().address("localhost", InetAddress.getLoopbackAddress());
        site = TestSite.https(certificates.leaf(Duration.ofDays(90), "localhost").serverContext());
        Prober prober = Prober.create(new ProbeSettings(List.of(dns.endpoint()), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofMillis(1500), 1 << 16, certificates.anchors()), Clock.systemUTC());
        runner = new ProbeRunner(prober, 4, 64, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        site.close();
        dns.close();
    }

    @BeforeEach
    void tables() {
        String suffix = UUID.randomUUID().toString();
        Dynalite.createTable(dynamoDb, AlertsTable.createRequest("alerts-" + suffix));
        Dynalite.createTable(dynamoDb, ControlTable.createRequest("control-" + suffix));
        alerts = new DynamoDbAlertRepository(dynamoDb, "alerts-" + suffix, Duration.ofDays(7));
        control = "control-" + suffix;
        states = new DynamoDbProbeStateStore(dynamoDb, control);
        events = new RecordingMonitorEvents();
        metrics = new RecordingMetrics();
        url = site.url("localhost", "/switch");
        site.switchUp(true);
    }

    private DomainMonitor monitor(String document, String control) {
        return new DomainMonitor(TargetSource.inline(document), runner,
                new DomainMonitor.Stores(states, new DynamoDbOpenAlertClaims(dynamoDb, control), alerts),
                new DomainMonitor.Alerting(events, events, new UlidGenerator(Clock.systemUTC(), new SecureRandom()),
                        metrics),
                new DomainMonitor.Policy(Severity.LOW, Duration.ofSeconds(30), Duration.ofHours(24)),
                Clock.systemUTC());
    }

    private DomainMonitor monitor(String targetSettings) {
        return monitor("targets:\n  - url: " + url + "\n" + targetSettings, control);
    }

    @Test
    void thresholds_raiseOnTheSecondFailure_countRepeats_andResolveOnRecovery() {
        DomainMonitor monitor = monitor("    failures_before_alert: 2\n    severity: high\n");
        site.switchUp(false);

        RunReport.TargetReport first = scheduled(monitor);
        RunReport.TargetReport second = scheduled(monitor);
        RunReport.TargetReport third = scheduled(monitor);

        assertThat(first.action()).isEqualTo(Action.BELOW_THRESHOLD);
        assertThat(first.classification()).isEqualTo("HTTP_ERROR");
        assertThat(second.action()).isEqualTo(Action.RAISED);
        assertThat(third.action()).isEqualTo(Action.COUNTED);
        assertThat(third.alertIds()).isEqualTo(second.alertIds());
        Alert alert = alerts.find(second.alertIds().getFirst()).orElseThrow();
        assertThat(alert.state()).isEqualTo(AlertState.DETECTED);
        assertThat(alert.fingerprint()).isEqualTo("localhost#HTTP_ERROR");
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.occurrences()).isEqualTo(2);
        assertThat(alert.errorDetails()).contains("answered 503");
        assertThat(events.raised).extracting(Alert::alertId).containsExactly(alert.alertId());
        assertThat(events.investigated).extracting(Alert::alertId).containsExactly(alert.alertId());
        assertThat(states.find(url).orElseThrow().consecutiveFailures()).isEqualTo(3);

        site.switchUp(true);
        RunReport.TargetReport healed = scheduled(monitor);
        RunReport.TargetReport quiet = scheduled(monitor);

        assertThat(healed.action()).isEqualTo(Action.RECOVERED);
        assertThat(healed.alertIds()).containsExactly(alert.alertId());
        Alert resolved = alerts.find(alert.alertId()).orElseThrow();
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.resolution()).isEqualTo(Resolution.RECOVERED);
        assertThat(resolved.audit().getLast().action()).isEqualTo(AuditAction.RECOVERED);
        assertThat(events.recovered).extracting(Alert::alertId).containsExactly(alert.alertId());
        assertThat(quiet.action()).isEqualTo(Action.NONE);

        site.switchUp(false);
        scheduled(monitor);
        RunReport.TargetReport again = scheduled(monitor);
        assertThat(again.action()).isEqualTo(Action.RAISED);
        assertThat(again.alertIds()).doesNotContainAnyElementsOf(second.alertIds());
        assertThat(metrics.of(MetricName.ALERTS_GENERATED)).extracting(Metric::alertId)
                .containsExactly(alert.alertId(), again.alertIds().getFirst());
        assertThat(metrics.of(MetricName.ALERTS_GENERATED)).allSatisfy(m -> {
            assertThat(m.value()).isEqualTo(1.0);
            assertThat(m.dimensions()).isEqualTo(Map.of("Severity", "high"));
        });
        // Measured from the first failing probe of the streak, a whole run before the alert was stored.
        assertThat(metrics.of(MetricName.DETECTION_LATENCY).getFirst().value()).isPositive();
        assertThat(metrics.of(MetricName.FALSE_POSITIVE_RATE)).singleElement().satisfies(m -> {
            assertThat(m.value()).isEqualTo(1.0);
            assertThat(m.alertId()).isEqualTo(alert.alertId());
        });
    }

    @Test
    void aTimeoutRecheckedBecauseOfTheProbersOwnLoad_stillCountsOnceTowardsTheThreshold_andSaysSo() {
        URI hanging = site.url("localhost", "/hang");
        DomainMonitor monitor = monitorWith(SaturatedRunners.untilRecheck(prober(), 4, 64, Duration.ofMillis(600)),
                "targets:\n  - url: " + hanging + "\n    failures_before_alert: 2\n");

        RunReport firstRun = monitor.handle(new Trigger.Scheduled(Instant.now()), FAR);
        RunReport.TargetReport first = firstRun.targets().getFirst();
        RunReport.TargetReport second = scheduled(monitor);

        assertThat(first.classification()).isEqualTo("TIMEOUT");
        assertThat(first.action()).as("one failing run, however often it was probed").isEqualTo(Action.BELOW_THRESHOLD);
        assertThat(first.details()).contains("re-checked with the monitor idle");
        assertThat(firstRun.probing().rechecked()).singleElement().asString().startsWith(hanging + ": timed out while");
        assertThat(firstRun.toJson(new com.fasterxml.jackson.databind.ObjectMapper()).path("probing").path("rechecked").asInt())
                .isEqualTo(1);
        assertThat(second.action()).isEqualTo(Action.RAISED);
        assertThat(alerts.find(second.alertIds().getFirst()).orElseThrow().errorDetails())
                .contains("re-checked with the monitor idle");
        assertThat(states.find(hanging).orElseThrow().consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void recovery_waitsForItsThreshold_andLeavesAnExecutingAlertAlone() {
        DomainMonitor monitor = monitor("    failures_before_alert: 1\n    successes_before_recovery: 2\n");
        site.switchUp(false);
        String alertId = scheduled(monitor).alertIds().getFirst();
        Alert detected = alerts.find(alertId).orElseThrow();
        Alert pending = applied(detected.analyze(AlertFixtures.analysis(1), Actor.system("rules"), Instant.now()));
        Alert approved = applied(pending.approve(AlertFixtures.person("alice"), "sub-alice", "admin", null, pending.planHash(), Instant.now()));
        applied(approved.startExecution(Actor.system("execution"), Instant.now()));
        site.switchUp(true);

        RunReport.TargetReport once = scheduled(monitor);
        RunReport.TargetReport twice = scheduled(monitor);

        assertThat(once.action()).isEqualTo(Action.NONE);
        assertThat(twice.action()).isEqualTo(Action.RECOVERED);
        assertThat(twice.alertIds()).isEmpty();
        assertThat(alerts.find(alertId).orElseThrow().state()).isEqualTo(AlertState.EXECUTING);
    }

    @Test
    void overlappingRuns_raiseExactlyOneAlert_andCountEveryObservationOnce() throws Exception {
        DomainMonitor monitor = monitor("    failures_before_alert: 1\n");
        site.switchUp(false);
        int runs = 8;

        List<RunReport.TargetReport> reports = concurrently(runs, () -> scheduled(monitor));

        assertThat(reports).filteredOn(r -> r.action() == Action.RAISED).hasSize(1);
        assertThat(reports).filteredOn(r -> r.action() == Action.COUNTED).hasSize(runs - 1);
        assertThat(reports.stream().map(r -> r.alertIds().getFirst()).distinct()).hasSize(1);
        Alert alert = alerts.find(reports.getFirst().alertIds().getFirst()).orElseThrow();
        assertThat(alert.occurrences()).isEqualTo(runs);
        assertThat(events.raised).hasSize(1);
        ProbeState state = states.find(url).orElseThrow();
        assertThat(state.consecutiveFailures()).isEqualTo(runs);
        assertThat(state.version()).isEqualTo(runs);
    }

    @Test
    void aStaleClaimWhoseAlertWasNeverStored_isTakenOver() {
        DomainMonitor monitor = monitor("    failures_before_alert: 1\n");
        new DynamoDbOpenAlertClaims(dynamoDb, control).claim("localhost#HTTP_ERROR", "01JLOSTRUN0000000000000001",
                null, Instant.now().minus(Duration.ofHours(1)));
        site.switchUp(false);

        RunReport.TargetReport report = scheduled(monitor);

        assertThat(report.action()).isEqualTo(Action.RAISED);
        assertThat(new DynamoDbOpenAlertClaims(dynamoDb, control).holder("localhost#HTTP_ERROR").orElseThrow().alertId())
                .isEqualTo(report.alertIds().getFirst());
    }

    @Test
    void aScheduledRun_expiresAlertsNobodyDecidedOnInTime() {
        Alert old = alerts.create(AlertFixtures.pending(AlertFixtures.detected("01JSTALE00000000000000001",
                "stale.example", IssueType.TIMEOUT, Instant.now().minus(Duration.ofHours(30))), 1));
        Alert fresh = alerts.create(AlertFixtures.pending(AlertFixtures.detected("01JFRESH00000000000000001",
                "fresh.example", IssueType.TIMEOUT, Instant.now().minus(Duration.ofHours(2))), 1));

        scheduled(monitor("    failures_before_alert: 2\n"));

        assertThat(alerts.find(old.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXPIRED);
        assertThat(alerts.find(old.alertId()).orElseThrow().resolution()).isEqualTo(Resolution.EXPIRED);
        assertThat(alerts.find(fresh.alertId()).orElseThrow().state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(events.expired).extracting(Alert::alertId).containsExactly(old.alertId());
        assertThat(metrics.of(MetricName.FALSE_POSITIVE_RATE)).singleElement().satisfies(m -> {
            assertThat(m.value()).isZero();
            assertThat(m.alertId()).isEqualTo(old.alertId());
        });
        assertThat(metrics.values(MetricName.PENDING_APPROVALS)).containsExactly(1.0);
    }

    @Test
    void aLateAnalysis_isAnnouncedWithoutIt_thenFollowedUp() throws Exception {
        // The analysis only finishes once the alert has been announced without it, so it is late by construction.
        CountDownLatch announced = new CountDownLatch(1);
        MonitorEvents told = mock(MonitorEvents.class);
        doAnswer(call -> {
            announced.countDown();
            return null;
        }).when(told).raised(any());
        Investigator slow = mock(Investigator.class);
        when(slow.investigate(any())).thenAnswer(call -> {
            // Gives up waiting only if the monitor never announces; the assertions below then fail.
            announced.await(10, TimeUnit.SECONDS);
            return call.<Alert>getArgument(0).toBuilder().agentAnalysis("analysed late").build();
        });
        DomainMonitor monitor = new DomainMonitor(TargetSource.inline("targets:\n  - url: " + url
                + "\n    failures_before_alert: 1\n"), runner,
                new DomainMonitor.Stores(states, new DynamoDbOpenAlertClaims(dynamoDb, control), alerts),
                new DomainMonitor.Alerting(slow, told, new UlidGenerator(Clock.systemUTC(), new SecureRandom()),
                        metrics),
                new DomainMonitor.Policy(Severity.LOW, Duration.ofMillis(100), Duration.ofHours(24)), Clock.systemUTC());
        site.switchUp(false);

        RunReport.TargetReport report = scheduled(monitor);

        assertThat(report.action()).isEqualTo(Action.RAISED);
        ArgumentCaptor<Alert> first = ArgumentCaptor.forClass(Alert.class);
        ArgumentCaptor<Alert> followUp = ArgumentCaptor.forClass(Alert.class);
        InOrder order = inOrder(told);
        order.verify(told).raised(first.capture());
        order.verify(told).analysisArrived(followUp.capture());
        verifyNoMoreInteractions(told);
        assertThat(first.getValue().agentAnalysis()).isNull();
        assertThat(followUp.getValue().alertId()).isEqualTo(first.getValue().alertId());
        assertThat(followUp.getValue().agentAnalysis()).isEqualTo("analysed late");
    }

    @Test
    void aManualRequest_skipsTheThreshold_andRecordsWhoAskedAndWhy() {
        DomainMonitor monitor = monitor("    failures_before_alert: 5\n");
        site.switchUp(false);

        RunReport report = monitor.handle(new Trigger.Manual(url, "checkout errors", "alice@example.com"), FAR);

        RunReport.TargetReport target = report.targets().getFirst();
        assertThat(report.trigger()).isEqualTo("manual");
        assertThat(target.action()).isEqualTo(Action.RAISED);
        Alert alert = alerts.find(target.alertIds().getFirst()).orElseThrow();
        assertThat(alert.errorDetails()).endsWith("(manual request by alice@example.com: checkout errors)");
        assertThat(alert.audit().getFirst().actor()).isEqualTo("alice@example.com");
        assertThat(alert.audit().getFirst().verified()).isFalse();
    }

    @Test
    void aManualRequestForAnUnlistedUrl_usesTheDefaults() {
        DomainMonitor monitor = monitor("    failures_before_alert: 5\n");
        site.switchUp(false);

        RunReport report = monitor.handle(new Trigger.Manual(site.url("localhost", "/down"), null, null), FAR);

        Alert alert = alerts.find(report.targets().getFirst().alertIds().getFirst()).orElseThrow();
        assertThat(alert.severity()).isEqualTo(Severity.LOW);
        assertThat(alert.audit().getFirst().actor()).isEqualTo("unknown requester");
    }

    @Test
    void alarms_mapByNameOrDimension_raiseAtOnce_andResolveOnOk() {
        DomainMonitor monitor = monitor("    failures_before_alert: 3\n    alarm_names: [shop-5xx-rate]\n");
        site.switchUp(false);

        RunReport alarm = monitor.handle(new Trigger.Alarm("shop-5xx-rate", "ALARM", "5xx above 5%",
                Map.of("DistributionId", "E2QWRUHAPOMQZL")), FAR);
        site.switchUp(true);
        RunReport ok = monitor.handle(new Trigger.Alarm("other-name", "OK", "back to normal",
                Map.of("Host", "localhost")), FAR);
        RunReport noData = monitor.handle(new Trigger.Alarm("shop-5xx-rate", "INSUFFICIENT_DATA", null, Map.of()), FAR);

        assertThat(alarm.targets().getFirst().action()).isEqualTo(Action.RAISED);
        Alert alert = alerts.find(alarm.targets().getFirst().alertIds().getFirst()).orElseThrow();
        assertThat(alert.audit().getFirst().actor()).isEqualTo("cloudwatch:shop-5xx-rate");
        assertThat(alert.errorDetails()).contains("CloudWatch alarm shop-5xx-rate is ALARM: 5xx above 5%");
        assertThat(ok.targets().getFirst().action()).isEqualTo(Action.RECOVERED);
        assertThat(alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(noData.targets().getFirst().action()).isEqualTo(Action.IGNORED);
        assertThatThrownBy(() -> monitor.handle(new Trigger.Alarm("unknown", "ALARM", null,
                Map.of("DistributionId", "E999")), FAR))
                .isInstanceOf(UnmappedAlarmException.class)
                .hasMessageContaining("'unknown' maps to no target");
    }

    @Test
    void invalidEntries_areReported_whileTheValidTargetsAreProbed() {
        DomainMonitor monitor = monitor("targets:\n  - url: " + url + "\n  - url: not a url\n",
                control);

        RunReport report = monitor.handle(new Trigger.Scheduled(Instant.now()), FAR);

        assertThat(report.targets()).extracting(RunReport.TargetReport::url).containsExactly(url.toString());
        assertThat(report.documentProblems()).singleElement().asString().startsWith("targets[1] (line 3)");
    }

    @Test
    void aProbeThatMissesTheDeadline_isUnfinished_andChangesNoState() {
        URI hanging = site.url("localhost", "/hang");
        DomainMonitor monitor = monitor("targets:\n  - url: " + hanging + "\n", control);

        RunReport report = monitor.handle(new Trigger.Scheduled(Instant.now()), Instant.now().plusMillis(300));

        assertThat(report.targets().getFirst().action()).isEqualTo(Action.UNFINISHED);
        assertThat(report.targets().getFirst().details()).isEqualTo("not finished within the run's time budget");
        assertThat(states.find(hanging)).isEmpty();
    }

    @Test
    void aNewContainer_startsTheTargetThatHungLastTime_first_fromTheStoredDurations() throws Exception {
        try (ServerSocket answering = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> serve(answering, () -> accepted.add("answering"), held, true));
            Thread.ofVirtual().start(() -> serve(silent, () -> accepted.add("silent"), held, false));
            URI silentUrl = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            String document = "targets:\n  - url: http://127.0.0.1:" + answering.getLocalPort() + "/\n  - url: "
                    + silentUrl + "\n";
            try {
                // One probe at a time, so the order they start in is the order the servers see them.
                monitorWith(new ProbeRunner(prober(), 1, 1, Clock.systemUTC()), document)
                        .handle(new Trigger.Scheduled(Instant.now()), FAR);
                List<String> firstRun = List.copyOf(accepted);
                accepted.clear();
                monitorWith(new ProbeRunner(prober(), 1, 1, Clock.systemUTC()), document)
                        .handle(new Trigger.Scheduled(Instant.now()), FAR);

                assertThat(firstRun).as("no history anywhere: the order given").containsExactly("answering", "silent");
                assertThat(accepted).as("a fresh runner, but the stored durations").containsExactly("silent", "answering");
                assertThat(states.find(silentUrl).orElseThrow().lastDuration())
                        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private DomainMonitor monitorWith(ProbeRunner fresh, String document) {
        return new DomainMonitor(TargetSource.inline(document), fresh,
                new DomainMonitor.Stores(states, new DynamoDbOpenAlertClaims(dynamoDb, control), alerts),
                new DomainMonitor.Alerting(events, events, new UlidGenerator(Clock.systemUTC(), new SecureRandom()),
                        metrics),
                new DomainMonitor.Policy(Severity.LOW, Duration.ofSeconds(30), Duration.ofHours(24)),
                Clock.systemUTC());
    }

    private static Prober prober() {
        return Prober.create(new ProbeSettings(List.of(dns.endpoint()), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMillis(1500), 1 << 16, Set.of()), Clock.systemUTC());
    }

    /** Accepts connections, noting each; answers 200 at once, or holds the connection without a word. */
    private static void serve(ServerSocket server, Runnable note, List<Socket> held, boolean answer) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                note.run();
                if (!answer) {
                    held.add(s);
                    continue;
                }
                try (s) {
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static RunReport.TargetReport scheduled(DomainMonitor monitor) {
        return monitor.handle(new Trigger.Scheduled(Instant.now()), FAR).targets().getFirst();
    }

    private Alert applied(dev.cloudops.alert.Transition transition) {
        return ((TransitionResult.Applied) alerts.apply(transition)).alert();
    }

    private static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
