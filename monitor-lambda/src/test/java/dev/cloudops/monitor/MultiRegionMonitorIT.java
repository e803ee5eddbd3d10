package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.monitor.RunReport.Action;
import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.monitor.quorum.QuorumPolicy;
import dev.cloudops.monitor.quorum.RegionalObservation;
import dev.cloudops.monitor.quorum.RegionalSplits;
import dev.cloudops.monitor.quorum.dynamodb.DynamoDbRegionalObservations;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.monitor.trigger.Trigger;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.FakeDnsServer;
import dev.cloudops.probe.Layer;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.Prober;
import dev.cloudops.probe.TestSite;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.RecordingMetrics;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Three monitors as probe regions a, b and c (Q = 2) sharing one Control and one Alerts table on the DynamoDB
 * emulator, probing the same loopback site; a region is made to fail alone by its own resolver answering NXDOMAIN.
 */
@ExtendWith(Emulators.class)
class MultiRegionMonitorIT {

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    private static final List<String> REGIONS = List.of("a", "b", "c");

    private static DynamoDbClient dynamoDb;
    private static FakeDnsServer resolving;
    private static FakeDnsServer nxdomain;
    private static TestSite site;

    private DynamoDbAlertRepository alerts;
    private String control;
    private RecordingMonitorEvents events;
    private RecordingMetrics metrics;
    /** How long a regional failure lasts before its LOW alert, for the monitors made after it is set. */
    private Optional<Duration> regionalAlertAfter = Optional.empty();

    @BeforeAll
    static void start(Dynalite dynalite) {
        dynamoDb = dynalite.client();
        resolving = new FakeDnsServer().address("localhost", InetAddress.getLoopbackAddress());
        nxdomain = new FakeDnsServer();
        site = TestSite.http();
    }

    @AfterAll
    static void stop() {
        site.close();
        resolving.close();
        nxdomain.close();
    }

    @BeforeEach
    void tables() {
        String suffix = UUID.randomUUID().toString();
        Dynalite.createTable(dynamoDb, AlertsTable.createRequest("alerts-" + suffix));
        Dynalite.createTable(dynamoDb, ControlTable.createRequest("control-" + suffix));
        alerts = new DynamoDbAlertRepository(dynamoDb, "alerts-" + suffix, Duration.ofDays(7));
        control = "control-" + suffix;
        events = new RecordingMonitorEvents();
        metrics = new RecordingMetrics();
    }

    @Test
    void aTargetFailingFromEveryRegion_raisesExactlyOneAlert_howeverTheRegionsInterleave() throws Exception {
        URI down = site.url("localhost", "/down");
        List<DomainMonitor> regions = REGIONS.stream().map(r -> monitor(r, resolving, down, quorum(2, REGIONS)))
                .toList();
        List<RunReport.TargetReport> reports = new ArrayList<>();

        for (int round = 0; round < 5; round++) {
            reports.addAll(concurrently(regions.stream().<Callable<RunReport.TargetReport>>map(m -> () -> scheduled(m))
                    .toList()));
        }

        assertThat(reports).filteredOn(r -> r.action() == Action.RAISED).hasSize(1);
        assertThat(reports).allSatisfy(r -> assertThat(r.action()).isIn(Action.RAISED, Action.COUNTED, Action.REGIONAL));
        assertThat(reports.subList(3, reports.size())).as("from the second round on, every region counts on it")
                .allSatisfy(r -> assertThat(r.action()).isEqualTo(Action.COUNTED));
        List<String> ids = reports.stream().flatMap(r -> r.alertIds().stream()).distinct().toList();
        assertThat(ids).hasSize(1);
        assertThat(events.raised).extracting(Alert::alertId).containsExactlyElementsOf(ids);
        assertThat(metrics.of(MetricName.ALERTS_GENERATED)).hasSize(1);
        Alert alert = alerts.find(ids.getFirst()).orElseThrow();
        assertThat(alert.fingerprint()).isEqualTo("localhost#HTTP_ERROR");
        assertThat(alert.occurrences()).isEqualTo(reports.stream()
                .filter(r -> r.action() == Action.RAISED || r.action() == Action.COUNTED).count());
    }

    @Test
    void aTargetFailingFromOneRegionOnly_raisesNoAlert_andThatRegionReportsItRegional() throws Exception {
        URI home = site.url("localhost", "/");
        DomainMonitor a = monitor("a", nxdomain, home, quorum(2, REGIONS));
        DomainMonitor b = monitor("b", resolving, home, quorum(2, REGIONS));
        DomainMonitor c = monitor("c", resolving, home, quorum(2, REGIONS));

        RunReport.TargetReport alone = scheduled(a);
        List<RunReport.TargetReport> together = concurrently(List.of(() -> scheduled(a), () -> scheduled(b),
                () -> scheduled(c)));
        RunReport.TargetReport again = scheduled(a);

        for (RunReport.TargetReport fromA : List.of(alone, together.getFirst(), again)) {
            assertThat(fromA.action()).isEqualTo(Action.REGIONAL);
            assertThat(fromA.classification()).isEqualTo("DNS_FAILURE");
            assertThat(fromA.details()).startsWith("regional: failing in a only (2 of 3 needed): ");
            assertThat(fromA.alertIds()).isEmpty();
        }
        assertThat(together.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.classification()).isEqualTo("HEALTHY");
            assertThat(r.alertIds()).isEmpty();
        });
        assertThat(events.raised).isEmpty();
        assertThat(metrics.of(MetricName.ALERTS_GENERATED)).isEmpty();
        assertThat(new DynamoDbOpenAlertClaims(dynamoDb, control).holder("localhost#DNS_FAILURE")).isEmpty();
    }

    @Test
    void aSilentRegion_countsNeitherWay_soTwoFailingRegionsRaiseOneAlert() throws Exception {
        URI down = site.url("localhost", "/down");
        DomainMonitor a = monitor("a", resolving, down, quorum(2, REGIONS));
        DomainMonitor b = monitor("b", resolving, down, quorum(2, REGIONS));

        RunReport.TargetReport first = scheduled(a);
        RunReport.TargetReport second = scheduled(b);
        List<RunReport.TargetReport> both = concurrently(List.of(() -> scheduled(a), () -> scheduled(b)));

        assertThat(first.action()).as("c silent, b not yet run: one of the two needed").isEqualTo(Action.REGIONAL);
        assertThat(first.details()).startsWith("regional: failing in a only (2 of 3 needed): ");
        assertThat(second.action()).isEqualTo(Action.RAISED);
        assertThat(both).allSatisfy(r -> {
            assertThat(r.action()).isEqualTo(Action.COUNTED);
            assertThat(r.alertIds()).isEqualTo(second.alertIds());
        });
        assertThat(events.raised).extracting(Alert::alertId).containsExactlyElementsOf(second.alertIds());
        assertThat(alerts.find(second.alertIds().getFirst()).orElseThrow().occurrences()).isEqualTo(3);
    }

    @Test
    void eachRegion_keepsItsOwnStreak_soAHealthyRegionNeitherResetsAFailingOneNorReportsARecovery() throws Exception {
        URI home = site.url("localhost", "/");
        DomainMonitor a = monitor("a", nxdomain, home, quorum(2, REGIONS), 2);
        DomainMonitor b = monitor("b", resolving, home, quorum(2, REGIONS), 2);

        RunReport.TargetReport firstFromA = scheduled(a);
        RunReport.TargetReport fromB = scheduled(b);
        RunReport.TargetReport secondFromA = scheduled(a);

        assertThat(firstFromA.action()).as("one failure of the two needed in a").isNotIn(Action.REGIONAL,
                Action.RAISED);
        assertThat(fromB.classification()).isEqualTo("HEALTHY");
        assertThat(fromB.action()).as("b has nothing to recover from").isNotEqualTo(Action.RECOVERED);
        assertThat(secondFromA.action()).as("a's own second failure in a row confirms it there")
                .isEqualTo(Action.REGIONAL);
        assertThat(new DynamoDbProbeStateStore(dynamoDb, control, "a").find(home).orElseThrow().consecutiveFailures())
                .isEqualTo(2);
        assertThat(new DynamoDbProbeStateStore(dynamoDb, control, "b").find(home).orElseThrow().consecutiveFailures())
                .isZero();
        assertThat(events.raised).isEmpty();
    }

    @Test
    void aPersistentRegionalFailure_raisesOneLowRegionalAlert_namingTheRegions_andItsRecoveryResolvesIt()
            throws Exception {
        regionalAlertAfter = Optional.of(Duration.ZERO);
        URI home = site.url("localhost", "/");
        DomainMonitor a = monitor("a", nxdomain, home, quorum(2, REGIONS));
        DomainMonitor b = monitor("b", resolving, home, quorum(2, REGIONS));

        RunReport.TargetReport fromB = scheduled(b);
        RunReport.TargetReport first = scheduled(a);
        RunReport.TargetReport second = scheduled(a);

        assertThat(fromB.action()).isEqualTo(Action.NONE);
        assertThat(first.action()).isEqualTo(Action.RAISED_REGIONAL);
        assertThat(second.action()).isEqualTo(Action.COUNTED_REGIONAL);
        assertThat(second.alertIds()).isEqualTo(first.alertIds());
        Alert alert = alerts.find(first.alertIds().getFirst()).orElseThrow();
        assertThat(alert.severity()).isEqualTo(Severity.LOW);
        assertThat(alert.fingerprint()).isEqualTo("localhost#DNS_FAILURE#regional");
        assertThat(alert.errorDetails()).startsWith("regional reachability: failing from a only, for 1 min (2 of 3 "
                + "regions needed for a site-wide alert); healthy from b; silent: c: ");
        assertThat(alert.occurrences()).isEqualTo(2);
        assertThat(events.raised).extracting(Alert::alertId).containsExactlyElementsOf(first.alertIds());

        RunReport.TargetReport recovered = scheduled(monitor("a", resolving, home, quorum(2, REGIONS)));

        assertThat(recovered.action()).isEqualTo(Action.RECOVERED);
        assertThat(recovered.alertIds()).isEqualTo(first.alertIds());
        assertThat(alerts.find(first.alertIds().getFirst()).orElseThrow().isOpen()).isFalse();
    }

    @Test
    void aRegionalFailure_shorterThanTheSetting_staysAnObservation() {
        regionalAlertAfter = Optional.of(Duration.ofHours(1));
        URI home = site.url("localhost", "/");

        RunReport.TargetReport report = scheduled(monitor("a", nxdomain, home, quorum(2, REGIONS)));

        assertThat(report.action()).isEqualTo(Action.REGIONAL);
        assertThat(report.alertIds()).isEmpty();
        assertThat(events.raised).isEmpty();
    }

    @Test
    void aManualRequestOrAnAlarm_confirmedByOneRegion_raisesAtOnce_withoutTheQuorum() {
        URI home = site.url("localhost", "/");
        DomainMonitor a = monitor("a", nxdomain, home, quorum(2, REGIONS));

        RunReport.TargetReport manual = a.handle(new Trigger.Manual(home, "customers in Europe cannot reach us",
                "ops@example.com"), FAR).targets().getFirst();
        RunReport.TargetReport alarm = a.handle(new Trigger.Alarm("shop-health", "ALARM", "health check failed",
                java.util.Map.of("url", home.toString())), FAR).targets().getFirst();

        assertThat(manual.action()).isEqualTo(Action.RAISED);
        assertThat(alarm.action()).isEqualTo(Action.COUNTED);
        assertThat(alarm.alertIds()).isEqualTo(manual.alertIds());
        assertThat(alerts.find(manual.alertIds().getFirst()).orElseThrow().fingerprint())
                .isEqualTo("localhost#DNS_FAILURE");
        assertThat(new DynamoDbRegionalObservations(dynamoDb, control).latest(home, REGIONS))
                .as("its observation still counts for the regions' scheduled runs").hasSize(1);
    }

    @Test
    void theRegionalSplit_showsEachRegionFailingHealthyOrSilent_forTheAlertsEvidence() {
        URI home = site.url("localhost", "/");
        scheduled(monitor("a", nxdomain, home, quorum(2, REGIONS)));
        scheduled(monitor("b", resolving, home, quorum(2, REGIONS)));
        RegionalSplits splits = new RegionalSplits(quorum(2, REGIONS),
                new DynamoDbRegionalObservations(dynamoDb, control), Clock.systemUTC());

        RegionalSplit split = splits.of(home).orElseThrow();

        assertThat(split.failing()).containsExactly("a");
        assertThat(split.healthy()).containsExactly("b");
        assertThat(split.silent()).containsExactly("c");
        assertThat(split.regions().getFirst().layer()).isEqualTo(Layer.DNS);
        assertThat(split.regions().getFirst().classification()).isEqualTo(Classification.DNS_FAILURE);
        assertThat(split.required()).isEqualTo(2);
        assertThat(new RegionalSplits(QuorumPolicy.single("a", Duration.ofMinutes(5)),
                new DynamoDbRegionalObservations(dynamoDb, control), Clock.systemUTC()).of(home))
                .as("one region: no split").isEmpty();
    }

    @Test
    void anotherRegionsClock_30sAhead_stillCounts_butNotFurtherAhead() {
        URI home = site.url("localhost", "/");
        DynamoDbRegionalObservations observations = new DynamoDbRegionalObservations(dynamoDb, control);
        DomainMonitor a = monitor("a", nxdomain, home, quorum(2, REGIONS));
        observations.record(new RegionalObservation(home, "b", Layer.DNS, Classification.DNS_FAILURE,
                Duration.ofMillis(5), Instant.now().plusSeconds(45)));
        observations.record(new RegionalObservation(home, "c", Layer.DNS, Classification.DNS_FAILURE,
                Duration.ofMillis(5), Instant.now().minus(Duration.ofMinutes(10)).minusSeconds(60)));

        RunReport.TargetReport beyondSkew = scheduled(a);

        observations.record(new RegionalObservation(home, "c", Layer.DNS, Classification.DNS_FAILURE,
                Duration.ofMillis(5), Instant.now().plusSeconds(25)));
        RunReport.TargetReport withinSkew = scheduled(a);

        assertThat(beyondSkew.action()).as("b 45 s ahead and c a minute past the window count as silent")
                .isEqualTo(Action.REGIONAL);
        assertThat(withinSkew.action()).as("c 25 s ahead counts").isEqualTo(Action.RAISED);
    }

    @Test
    void aFlappingRegion_countsAsItsLatestProbeSawIt() {
        URI home = site.url("localhost", "/");
        DomainMonitor a = monitor("a", nxdomain, home, quorum(2, REGIONS));
        DomainMonitor bFailing = monitor("b", nxdomain, home, quorum(2, REGIONS));
        DomainMonitor bHealthy = monitor("b", resolving, home, quorum(2, REGIONS));

        scheduled(bFailing);
        scheduled(bHealthy);
        RunReport.TargetReport afterHealthy = scheduled(a);
        scheduled(bFailing);
        RunReport.TargetReport afterFailing = scheduled(a);

        assertThat(afterHealthy.action()).isEqualTo(Action.REGIONAL);
        assertThat(afterFailing.action()).isIn(Action.RAISED, Action.COUNTED);
        assertThat(events.raised).hasSize(1);
    }

    @Test
    void oneOfOneRegion_isTodaysBehaviour_withoutReadingOrWritingObservations() {
        URI down = site.url("localhost", "/down");
        DomainMonitor alone = monitor("a", nxdomain, down, QuorumPolicy.single("a", Duration.ofMinutes(5)));

        RunReport.TargetReport report = scheduled(alone);

        assertThat(report.action()).isEqualTo(Action.RAISED);
        assertThat(report.details()).doesNotContain("regional");
        assertThat(new DynamoDbRegionalObservations(dynamoDb, control).latest(down, List.of("a"))).isEmpty();
    }

    private static QuorumPolicy quorum(int required, List<String> regions) {
        return QuorumPolicy.of(required, regions, Duration.ofMinutes(5));
    }

    /** One region's monitor: its own resolver, the shared tables, failures confirmed at the first failing probe. */
    private DomainMonitor monitor(String region, FakeDnsServer dns, URI target, QuorumPolicy policy) {
        return monitor(region, dns, target, policy, 1);
    }

    /** One region's monitor, failures confirmed after {@code failuresBeforeAlert} failing probes in a row there. */
    private DomainMonitor monitor(String region, FakeDnsServer dns, URI target, QuorumPolicy policy,
            int failuresBeforeAlert) {
        Prober prober = Prober.create(new ProbeSettings(List.of(dns.endpoint()), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofMillis(1500), 1 << 16, java.util.Set.of()), Clock.systemUTC());
        return new DomainMonitor(TargetSource.inline("targets:\n  - url: " + target + "\n    failures_before_alert: "
                + failuresBeforeAlert + "\n"),
                new ProbeRunner(prober, 4, 64, Clock.systemUTC()),
                new DomainMonitor.Stores(new DynamoDbProbeStateStore(dynamoDb, control,
                        policy.regions().size() > 1 ? region : null),
                        new DynamoDbOpenAlertClaims(dynamoDb, control), alerts),
                new DomainMonitor.Alerting(events, events, new UlidGenerator(Clock.systemUTC(), new SecureRandom()),
                        metrics),
                new DomainMonitor.Policy(Severity.LOW, Duration.ofSeconds(30), Duration.ofHours(24)),
                new DomainMonitor.Region(region, policy, new DynamoDbRegionalObservations(dynamoDb, control),
                        regionalAlertAfter),
                Clock.systemUTC());
    }

    private static RunReport.TargetReport scheduled(DomainMonitor monitor) {
        return monitor.handle(new Trigger.Scheduled(Instant.now()), FAR).targets().getFirst();
    }

    /** Runs the tasks at once, released together; their results in the order given. */
    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
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
