package dev.cloudops.monitor.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.monitor.quorum.Quorum.Verdict;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuorumTest {

    private static final URI SHOP = URI.create("https://shop.example.com/");
    private static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
    private static final Duration PERIOD = Duration.ofMinutes(5);
    private static final String EU = "eu-west-1";
    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-2";

    private final Quorum twoOfThree = new Quorum(QuorumPolicy.of(2, List.of(EU, US, AP), PERIOD));

    @Test
    void evaluate_failsByQuorum_whenTwoOfThreeRegionsSeeAFailingLayer() {
        var observations = List.of(failing(EU, NOW.minusSeconds(40)), failing(US, NOW.minusSeconds(10)),
                healthy(AP, NOW.minusSeconds(20)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.FailingByQuorum.class);
        assertThat(verdict.target()).isEqualTo(SHOP);
        assertThat(verdict.regions().failing()).containsOnlyKeys(EU, US);
        assertThat(verdict.regions().failing().get(EU).layer()).isEqualTo(Layer.DNS);
        assertThat(verdict.regions().healthy()).containsOnlyKeys(AP);
        assertThat(verdict.regions().silent()).isEmpty();
    }

    @Test
    void evaluate_isRegional_namingTheRegion_whenOnlyOneOfThreeFails() {
        var observations = List.of(failing(EU, NOW.minusSeconds(40)), healthy(US, NOW.minusSeconds(10)),
                healthy(AP, NOW.minusSeconds(20)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.Regional.class);
        assertThat(verdict.regions().failing()).containsOnlyKeys(EU);
        assertThat(verdict.regions().healthy()).containsOnlyKeys(US, AP);
    }

    @Test
    void evaluate_isHealthy_whenNoRegionFails() {
        var observations = List.of(healthy(EU, NOW.minusSeconds(40)), healthy(US, NOW.minusSeconds(10)),
                healthy(AP, NOW.minusSeconds(20)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.Healthy.class);
        assertThat(verdict.regions().healthy()).containsOnlyKeys(EU, US, AP);
        assertThat(verdict.regions().failing()).isEmpty();
    }

    @Test
    void evaluate_failsByQuorum_whenTwoFailAndTheThirdIsSilent() {
        var observations = List.of(failing(EU, NOW.minusSeconds(40)), failing(US, NOW.minusSeconds(10)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.FailingByQuorum.class);
        assertThat(verdict.regions().silent()).containsExactly(AP);
    }

    @Test
    void evaluate_isRegional_whenOneFailsOneIsHealthyAndOneIsSilent() {
        var observations = List.of(failing(EU, NOW.minusSeconds(40)), healthy(US, NOW.minusSeconds(10)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.Regional.class);
        assertThat(verdict.regions().failing()).containsOnlyKeys(EU);
        assertThat(verdict.regions().healthy()).containsOnlyKeys(US);
        assertThat(verdict.regions().silent()).containsExactly(AP);
    }

    @Test
    void evaluate_isRegional_whenTheOnlyReportingRegionFails_andTheOthersAreSilent() {
        Verdict verdict = twoOfThree.evaluate(SHOP, List.of(failing(EU, NOW.minusSeconds(5))), NOW);

        assertThat(verdict).isInstanceOf(Verdict.Regional.class);
        assertThat(verdict.regions().silent()).containsExactly(AP, US);
    }

    @Test
    void evaluate_isHealthy_withEveryRegionSilent_whenNothingWasObserved() {
        Verdict verdict = twoOfThree.evaluate(SHOP, List.of(), NOW);

        assertThat(verdict).isInstanceOf(Verdict.Healthy.class);
        assertThat(verdict.regions().silent()).containsExactly(AP, EU, US);
    }

    @Test
    void evaluate_countsAnObservationStampedWithinTheSkewInTheFuture() {
        var observations = List.of(failing(EU, NOW.plusSeconds(25)), failing(US, NOW.minusSeconds(10)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.FailingByQuorum.class);
        assertThat(verdict.regions().failing()).containsOnlyKeys(EU, US);
    }

    @Test
    void evaluate_treatsAnObservationBeyondTheSkewInTheFutureAsSilent() {
        var observations = List.of(failing(EU, NOW.plusSeconds(31)), failing(US, NOW.minusSeconds(10)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.Regional.class);
        assertThat(verdict.regions().silent()).containsExactly(AP, EU);
    }

    @Test
    void evaluate_countsAnObservationUpToWindowPlusSkewOld_andNotOlder() {
        Instant edge = NOW.minus(PERIOD.multipliedBy(2)).minusSeconds(30);
        var withinSkew = List.of(failing(EU, edge), failing(US, NOW.minusSeconds(10)));
        var tooOld = List.of(failing(EU, edge.minusMillis(1)), failing(US, NOW.minusSeconds(10)));

        Verdict counted = twoOfThree.evaluate(SHOP, withinSkew, NOW);
        Verdict ignored = twoOfThree.evaluate(SHOP, tooOld, NOW);

        assertThat(counted).isInstanceOf(Verdict.FailingByQuorum.class);
        assertThat(ignored).isInstanceOf(Verdict.Regional.class);
        assertThat(ignored.regions().silent()).containsExactly(AP, EU);
    }

    @Test
    void evaluate_takesTheLatestObservationOfAFlappingRegion() {
        var recovered = List.of(failing(EU, NOW.minusSeconds(120)), healthy(EU, NOW.minusSeconds(60)),
                failing(US, NOW.minusSeconds(10)));
        var relapsed = List.of(healthy(EU, NOW.minusSeconds(60)), failing(EU, NOW.minusSeconds(5)),
                failing(EU, NOW.minusSeconds(120)), failing(US, NOW.minusSeconds(10)));

        Verdict afterRecovery = twoOfThree.evaluate(SHOP, recovered, NOW);
        Verdict afterRelapse = twoOfThree.evaluate(SHOP, relapsed, NOW);

        assertThat(afterRecovery).isInstanceOf(Verdict.Regional.class);
        assertThat(afterRecovery.regions().healthy()).containsOnlyKeys(EU);
        assertThat(afterRelapse).isInstanceOf(Verdict.FailingByQuorum.class);
        assertThat(afterRelapse.regions().failing().get(EU).observedAt()).isEqualTo(NOW.minusSeconds(5));
    }

    @Test
    void evaluate_ignoresOtherTargetsAndUnknownRegions() {
        var observations = List.of(failing(EU, NOW.minusSeconds(5)),
                new RegionalObservation(URI.create("https://other.example.com/"), US, Layer.TCP,
                        Classification.TCP_FAILURE, Duration.ofMillis(900), NOW.minusSeconds(5)),
                failing("sa-east-1", NOW.minusSeconds(5)));

        Verdict verdict = twoOfThree.evaluate(SHOP, observations, NOW);

        assertThat(verdict).isInstanceOf(Verdict.Regional.class);
        assertThat(verdict.regions().failing()).containsOnlyKeys(EU);
        assertThat(verdict.regions().silent()).containsExactly(AP, US);
    }

    @Test
    void oneOfOne_behavesLikeTheSingleRegionCheck() {
        Quorum single = new Quorum(QuorumPolicy.single(EU, PERIOD));

        Verdict down = single.evaluate(SHOP, List.of(failing(EU, NOW.minusSeconds(1))), NOW);
        Verdict up = single.evaluate(SHOP, List.of(healthy(EU, NOW.minusSeconds(1))), NOW);

        assertThat(down).isInstanceOf(Verdict.FailingByQuorum.class);
        assertThat(down.regions().failing()).containsOnlyKeys(EU);
        assertThat(up).isInstanceOf(Verdict.Healthy.class);
    }

    @Test
    void policy_defaultsToTwoSchedulePeriodsAndThirtySecondsOfSkew() {
        QuorumPolicy policy = QuorumPolicy.of(2, List.of(US, EU, AP), PERIOD);

        assertThat(policy.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.known()).isEqualTo(3);
        assertThat(policy.regions()).containsExactly(AP, EU, US);
    }

    @Test
    void policy_refusesAQuorumOutsideOneToN() {
        assertThatThrownBy(() -> QuorumPolicy.of(4, List.of(US, EU, AP), PERIOD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q=4 of N=3");
        assertThatThrownBy(() -> QuorumPolicy.of(0, List.of(US), PERIOD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q=0");
        assertThatThrownBy(() -> QuorumPolicy.of(1, Set.of(), PERIOD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one region");
    }

    @Test
    void observation_namesItsFailingLayer_andAHealthyOneNone() {
        assertThatThrownBy(() -> new RegionalObservation(SHOP, EU, null, Classification.TLS_ERROR, null, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionalObservation(SHOP, EU, Layer.HTTP, Classification.HEALTHY, null, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionalObservation(SHOP, "eu#1", null, Classification.HEALTHY, null, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RegionalObservation failing(String region, Instant at) {
        return new RegionalObservation(SHOP, region, Layer.DNS, Classification.DNS_FAILURE, Duration.ofMillis(120), at);
    }

    private static RegionalObservation healthy(String region, Instant at) {
        return new RegionalObservation(SHOP, region, null, Classification.HEALTHY, Duration.ofMillis(85), at);
    }
}
