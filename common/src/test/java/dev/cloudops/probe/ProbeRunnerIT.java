package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.cloudops.trace.Tracing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scheduling of many probes: order kept, stalled probes overlapping, slow targets started first next time. */
class ProbeRunnerIT {

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private static TestCertificates certificates;
    private static TestSite site;
    private static final List<ServerSocket> silent = new ArrayList<>();
    private static final List<Socket> held = new CopyOnWriteArrayList<>();
    private static Prober prober;

    @BeforeAll
    static void start() throws IOException {
        certificates = new TestCertificates();
        site = TestSite.https(certificates.leaf(Duration.ofDays(90), "127.0.0.1").serverContext());
        for (int i = 0; i < 3; i++) {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            silent.add(server);
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept()); // accept, then never say a word
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }
        prober = Prober.create(new ProbeSettings(List.of(new java.net.InetSocketAddress("127.0.0.1", 53)),
                Duration.ofMillis(300), Duration.ofMillis(800), Duration.ofMillis(800), 1 << 16,
                certificates.anchors()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        site.close();
        for (ServerSocket s : silent) {
            s.close();
        }
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void probesWaitingOnSilentPeers_holdNoWorkSlot_soTheyOverlap() {
        ProbeRunner runner = new ProbeRunner(prober, 1, 10, Clock.systemUTC());
        List<ProbeSpec> specs = silent.stream().map(s -> ProbeSpec.of(silentUrl(s))).toList();

        List<ProbeOutcome> outcomes = runner.run(specs, FAR).outcomes();

        List<ProbeResult> results = finished(outcomes);
        assertThat(results).extracting(ProbeResult::classification).containsOnly(Classification.TIMEOUT);
        assertThat(results).extracting(ProbeResult::url).containsExactlyElementsOf(specs.stream().map(ProbeSpec::url)
                .toList());
        Instant firstEnd = results.getFirst().checkedAt().plus(results.getFirst().elapsed());
        assertThat(results.getLast().checkedAt())
                .as("with one work slot, the last silent probe still starts before the first one gives up")
                .isBefore(firstEnd);
    }

    @Test
    void aTargetThatWasSlowLastRun_startsFirstThisRun_andResultsKeepTheGivenOrder() {
        ProbeRunner runner = new ProbeRunner(prober, 1, 1, Clock.systemUTC());
        URI fast = site.url("127.0.0.1", "/");
        URI slow = silentUrl(silent.getFirst());
        List<ProbeSpec> specs = List.of(ProbeSpec.of(fast), ProbeSpec.of(slow));

        List<ProbeResult> first = finished(runner.run(specs, FAR).outcomes());
        List<ProbeResult> second = finished(runner.run(specs, FAR).outcomes());

        assertThat(first).extracting(ProbeResult::url).containsExactly(fast, slow);
        assertThat(second).extracting(ProbeResult::url).containsExactly(fast, slow);
        assertThat(first.get(0).checkedAt()).as("no history: given order").isBefore(first.get(1).checkedAt());
        assertThat(second.get(1).checkedAt()).as("the slow one starts first").isBefore(second.get(0).checkedAt());
    }

    @Test
    void aSlowAnswer_isMeasuredAgainBeforeItCounts_andTheSecondMeasurementDecides() {
        ProbeRunner runner = new ProbeRunner(patientProber(), 2, 10, Clock.systemUTC());
        // Thresholds far from the sites' speeds, so a loaded machine cannot change the verdicts:
        // /slow-at-first takes 1.2 s once, then answers at once; /slow always takes 0.4 s.
        Duration generous = Duration.ofMillis(800);
        ProbeSpec passing = new ProbeSpec(site.url("127.0.0.1", "/slow-at-first"), java.util.Set.of(200), null,
                generous, 14, true);
        ProbeSpec slow = new ProbeSpec(site.url("127.0.0.1", "/slow"), java.util.Set.of(200), null,
                Duration.ofMillis(200), 14, true);
        ProbeSpec fine = new ProbeSpec(site.url("127.0.0.1", "/"), java.util.Set.of(200), null, generous, 14, true);

        List<ProbeResult> results = finished(runner.run(List.of(passing, slow, fine), FAR).outcomes());

        assertThat(results).extracting(ProbeResult::classification)
                .containsExactly(Classification.HEALTHY, Classification.PERFORMANCE, Classification.HEALTHY);
        assertThat(results.get(0).details()).startsWith("healthy: HTTP 200 in")
                .containsPattern("\\(a first try took \\d\\.\\d s\\)$");
        assertThat(results.get(1).details()).contains("above the 200 ms threshold")
                .containsPattern("\\(a first try took \\d\\.\\d s\\)$");
        assertThat(results.get(2).details()).doesNotContain("first try");
    }

    @Test
    void aSlowAnswer_keepsItsFirstVerdict_whenTheSecondMeasurementCannotFinishInTime() {
        // a patient prober: the hung second try is still waiting when the budget ends
        ProbeRunner runner = new ProbeRunner(patientProber(), 2, 10, Clock.systemUTC());
        ProbeSpec slow = new ProbeSpec(site.url("127.0.0.1", "/slow-then-hang"), java.util.Set.of(200), null,
                Duration.ofMillis(200), 14, true);

        List<ProbeOutcome> outcomes = runner.run(List.of(slow), Instant.now().plusSeconds(3)).outcomes();

        ProbeResult result = finished(outcomes).getFirst();
        assertThat(result.classification()).isEqualTo(Classification.PERFORMANCE);
        assertThat(result.details()).contains("above the 200 ms threshold").doesNotContain("first try");
    }

    /** Saturates the prober's own scheduling (the seam of {@link OwnLoad.Stall}) until the run re-checks. */
    private static final OwnLoad.Stall SATURATED_UNTIL_RECHECK = rechecking -> {
        if (!rechecking) {
            Thread.sleep(400);
        }
    };

    @Test
    void whileTheProberIsSaturated_aSiteAnsweringIn200ms_isHealthy_andASilentOneTimesOut() {
        ProbeRunner runner = new ProbeRunner(prober, 2, 10, Clock.systemUTC(), Tracing.NONE, SATURATED_UNTIL_RECHECK);
        ProbeSpec answering = ProbeSpec.of(site.url("127.0.0.1", "/in-200ms"));
        ProbeSpec silentOne = ProbeSpec.of(silentUrl(silent.get(1)));

        ProbeRun run = runner.run(List.of(answering, silentOne), FAR);

        List<ProbeResult> results = finished(run.outcomes());
        assertThat(results).extracting(ProbeResult::classification)
                .containsExactly(Classification.HEALTHY, Classification.TIMEOUT);
        assertThat(results.get(1).details()).contains("did not complete within")
                .contains("(re-checked with the monitor idle: a first try timed out while ");
        assertThat(run.load().rechecked()).singleElement().asString()
                .startsWith(silentOne.url() + ": timed out while ");
        assertThat(run.load().peakSchedulingDelay()).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    }

    @Test
    void aTimeoutThatBeganUnderTheProbersOwnPressure_isRecheckedWithTheMonitorIdle_andTheSecondAnswerCounts() {
        ProbeRunner runner = new ProbeRunner(prober, 2, 10, Clock.systemUTC(), Tracing.NONE, SATURATED_UNTIL_RECHECK);
        ProbeSpec hangsOnce = ProbeSpec.of(site.url("127.0.0.1", "/hang-once/pressured"));

        ProbeRun run = runner.run(List.of(hangsOnce), FAR);

        ProbeResult result = finished(run.outcomes()).getFirst();
        assertThat(result.classification()).isEqualTo(Classification.HEALTHY);
        assertThat(result.details()).startsWith("healthy: HTTP 200")
                .contains("(re-checked with the monitor idle: a first try timed out while ");
        assertThat(run.load().rechecked()).singleElement().asString().startsWith(hangsOnce.url() + ": timed out while");
    }

    @Test
    void withoutPressure_aTimeoutCountsAsItIs_withNoRecheck() {
        // A long connect timeout puts the pressure limits (a tenth and a third of it) far above any
        // scheduling delay of a busy test machine; the request timeout decides this probe.
        Prober calm = Prober.create(new ProbeSettings(List.of(new java.net.InetSocketAddress("127.0.0.1", 53)),
                Duration.ofMillis(300), Duration.ofSeconds(20), Duration.ofMillis(800), 1 << 16,
                certificates.anchors()), Clock.systemUTC());
        ProbeRunner runner = new ProbeRunner(calm, 2, 10, Clock.systemUTC());
        ProbeSpec hangsOnce = ProbeSpec.of(site.url("127.0.0.1", "/hang-once/calm"));

        ProbeRun run = runner.run(List.of(hangsOnce), FAR);

        ProbeResult result = finished(run.outcomes()).getFirst();
        assertThat(result.classification()).isEqualTo(Classification.TIMEOUT);
        assertThat(result.details()).doesNotContain("re-checked");
        assertThat(run.load().rechecked()).isEmpty();
    }

    @Test
    void aTimeoutUnderPressure_thatCannotBeRecheckedInTime_isUnfinished_notTheSitesFailure() {
        ProbeRunner runner = new ProbeRunner(prober, 2, 10, Clock.systemUTC(), Tracing.NONE, SATURATED_UNTIL_RECHECK);
        ProbeSpec silentOne = ProbeSpec.of(silentUrl(silent.get(2)));

        // 0.8 s of connect timeout, then the re-check gets less than the 0.8 s it needs
        ProbeRun run = runner.run(List.of(silentOne), Instant.now().plusMillis(1300));

        assertThat(run.outcomes()).singleElement().isInstanceOfSatisfying(ProbeOutcome.Unfinished.class,
                u -> assertThat(u.reason()).startsWith("timed out while ")
                        .endsWith("could not be re-checked within the run's time budget"));
    }

    /** A prober that waits 30 s for a response, so a slow site is slow, never timed out. */
    private static Prober patientProber() {
        return Prober.create(new ProbeSettings(List.of(new java.net.InetSocketAddress("127.0.0.1", 53)),
                Duration.ofMillis(300), Duration.ofMillis(800), Duration.ofSeconds(30), 1 << 16,
                certificates.anchors()), Clock.systemUTC());
    }

    private static URI silentUrl(ServerSocket server) {
        return URI.create("https://127.0.0.1:" + server.getLocalPort() + "/");
    }

    private static List<ProbeResult> finished(List<ProbeOutcome> outcomes) {
        return outcomes.stream().map(o -> ((ProbeOutcome.Finished) o).result()).toList();
    }
}
