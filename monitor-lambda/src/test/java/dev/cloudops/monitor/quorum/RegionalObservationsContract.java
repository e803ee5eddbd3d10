package dev.cloudops.monitor.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.quorum.Quorum.Verdict;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.testing.Race;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RegionalObservations} store must have, run against each by a subclass that supplies it
 * (DynamoDB on dynalite and moto, the local runner's SQLite): the latest observation per target and region, kept by
 * a write conditional on the stored observation being older; and region workers racing on one quorum failure, of
 * which exactly one wins the claim in the {@link OpenAlertClaims} beside it.
 */
public abstract class RegionalObservationsContract {

    protected static final URI SHOP = URI.create("https://shop.example.com/#checkout");
    protected static final Instant T = Instant.parse("2026-12-07T20:00:00.250Z");
    private static final Duration PERIOD = Duration.ofMinutes(5);

    /** The store under test: the same instance throughout a test, empty when it starts. */
    protected abstract RegionalObservations observations();

    /** The open-alert claims kept beside the observations. */
    protected abstract OpenAlertClaims claims();

    @Test
    public void latest_returnsWhatEachRegionRecorded_andNothingForSilentRegionsOrOtherTargets() {
        RegionalObservation eu = new RegionalObservation(SHOP, "eu-west-1", Layer.TLS, Classification.TLS_ERROR,
                Duration.ofMillis(412), T);
        RegionalObservation us = new RegionalObservation(SHOP, "us-east-1", null, Classification.HEALTHY, null,
                T.plusSeconds(3));
        RegionalObservation other = new RegionalObservation(URI.create("https://other.example.com/"), "ap-southeast-2",
                Layer.DNS, Classification.DNS_FAILURE, Duration.ofMillis(30), T);

        assertThat(observations().record(eu)).isTrue();
        assertThat(observations().record(us)).isTrue();
        assertThat(observations().record(other)).isTrue();

        assertThat(observations().latest(SHOP, List.of("eu-west-1", "us-east-1", "ap-southeast-2")))
                .containsExactlyInAnyOrder(eu, us);
        assertThat(observations().latest(SHOP, List.of())).isEmpty();
    }

    @Test
    public void record_replacesAnOlderObservation_butNeverANewerOrEquallyNewOne() {
        RegionalObservation failing = failing("eu-west-1", T);
        RegionalObservation recovered = new RegionalObservation(SHOP, "eu-west-1", null, Classification.HEALTHY,
                Duration.ofMillis(90), T.plusSeconds(60));

        boolean first = observations().record(failing);
        boolean newer = observations().record(recovered);
        boolean late = observations().record(failing);
        boolean repeated = observations().record(recovered);

        assertThat(List.of(first, newer, late, repeated)).containsExactly(true, true, false, false);
        assertThat(observations().latest(SHOP, List.of("eu-west-1"))).containsExactly(recovered);
    }

    @Test
    public void concurrentWritesOfOneRegion_leaveTheNewestObservation() throws Exception {
        List<Boolean> written = Race.run(10, i -> observations().record(failing("eu-west-1", T.plusSeconds(i))));

        assertThat(written).contains(true);
        assertThat(observations().latest(SHOP, List.of("eu-west-1"))).containsExactly(failing("eu-west-1", T.plusSeconds(9)));
    }

    @Test
    public void regionWorkersEvaluatingTheSameQuorumFailureAtOnce_raiseExactlyOneClaim() throws Exception {
        List<String> regions = regions(5);
        Quorum quorum = new Quorum(QuorumPolicy.of(3, regions, PERIOD));
        Race.run(regions.size(), i -> observations().record(failing(regions.get(i), T.plusMillis(i))));

        List<Worker> workers = Race.run(regions.size(), i -> evaluateAndClaim(quorum, regions, regions.get(i)));

        assertThat(workers).allSatisfy(w -> assertThat(w.verdict()).isInstanceOf(Verdict.FailingByQuorum.class));
        assertThat(workers).allSatisfy(w -> assertThat(w.verdict().regions().failing()).hasSize(5));
        assertThat(workers).filteredOn(Worker::won).hasSize(1);
        String winner = workers.stream().filter(Worker::won).findFirst().orElseThrow().episode();
        assertThat(claims().holder(Quorum.claimFingerprint(SHOP)).orElseThrow().alertId()).isEqualTo(winner);
    }

    @Test
    public void regionWorkersThatRecordThenEvaluateConcurrently_raiseExactlyOneClaim() throws Exception {
        List<String> regions = regions(8);
        Quorum quorum = new Quorum(QuorumPolicy.of(4, regions, PERIOD));

        List<Worker> workers = Race.run(regions.size(), i -> {
            observations().record(failing(regions.get(i), T.plusMillis(i)));
            return evaluateAndClaim(quorum, regions, regions.get(i));
        });

        // The worker whose write completed last reads all eight, so at least one sees the quorum.
        assertThat(workers).anySatisfy(w -> assertThat(w.verdict()).isInstanceOf(Verdict.FailingByQuorum.class));
        assertThat(workers).filteredOn(Worker::won).hasSize(1);
        assertThat(workers).filteredOn(Worker::won).first()
                .satisfies(w -> assertThat(w.verdict()).isInstanceOf(Verdict.FailingByQuorum.class));
        assertThat(claims().holder(Quorum.claimFingerprint(SHOP))).isPresent();
    }

    @Test
    public void aFailureSeenFromFewerThanQRegions_raisesNoClaim() throws Exception {
        List<String> regions = regions(3);
        Quorum quorum = new Quorum(QuorumPolicy.of(2, regions, PERIOD));
        observations().record(failing(regions.get(0), T));
        observations().record(new RegionalObservation(SHOP, regions.get(1), null, Classification.HEALTHY,
                Duration.ofMillis(70), T));

        List<Worker> workers = Race.run(regions.size(), i -> evaluateAndClaim(quorum, regions, regions.get(i)));

        assertThat(workers).allSatisfy(w -> {
            assertThat(w.verdict()).isInstanceOf(Verdict.Regional.class);
            assertThat(w.verdict().regions().failing()).containsOnlyKeys(regions.get(0));
            assertThat(w.verdict().regions().silent()).containsExactly(regions.get(2));
        });
        assertThat(workers).noneMatch(Worker::won);
        assertThat(claims().holder(Quorum.claimFingerprint(SHOP))).isEmpty();
    }

    /** One region's monitor: read the latest observations, decide, and claim the alert if failing by quorum. */
    private Worker evaluateAndClaim(Quorum quorum, List<String> regions, String region) {
        Verdict verdict = quorum.evaluate(SHOP, observations().latest(SHOP, regions), T.plusSeconds(1));
        String episode = "episode-from-" + region;
        boolean won = verdict instanceof Verdict.FailingByQuorum
                && claims().claim(Quorum.claimFingerprint(SHOP), episode, null, T.plusSeconds(1));
        return new Worker(verdict, episode, won);
    }

    private record Worker(Verdict verdict, String episode, boolean won) {
    }

    private static List<String> regions(int n) {
        return IntStream.range(0, n).mapToObj(i -> "region-" + i).toList();
    }

    protected static RegionalObservation failing(String region, Instant at) {
        return new RegionalObservation(SHOP, region, Layer.TCP, Classification.TCP_FAILURE, Duration.ofMillis(3_000), at);
    }
}
