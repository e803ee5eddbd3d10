package dev.cloudops.monitor.quorum;

import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the probe regions see a target now, for its alert's evidence: every known region as failing, healthy or
 * silent by the same rules as the quorum (latest observation in the window, within the clock skew). Nothing with
 * one region: there is no split to show.
 */
public final class RegionalSplits {

    private final QuorumPolicy policy;
    private final RegionalObservations observations;
    private final Quorum quorum;
    private final Clock clock;

    public RegionalSplits(QuorumPolicy policy, RegionalObservations observations, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.observations = Objects.requireNonNull(observations, "observations");
        this.quorum = new Quorum(policy);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The split of {@code target} from the regions' latest observations; empty with a single region. */
    public Optional<RegionalSplit> of(URI target) {
        if (policy.known() < 2) {
            return Optional.empty();
        }
        return Optional.of(of(quorum.evaluate(target, observations.latest(target, policy.regions()), clock.instant())));
    }

    /** The split a verdict describes, region by region in name order. */
    RegionalSplit of(Quorum.Verdict verdict) {
        Quorum.Regions regions = verdict.regions();
        List<RegionResult> results = new ArrayList<>(policy.known());
        for (String region : policy.regions()) {
            RegionalObservation failing = regions.failing().get(region);
            RegionalObservation healthy = regions.healthy().get(region);
            if (failing != null) {
                results.add(result(failing, Seen.FAILING));
            } else if (healthy != null) {
                results.add(result(healthy, Seen.HEALTHY));
            } else {
                results.add(RegionResult.silent(region));
            }
        }
        return new RegionalSplit(verdict.target().toString(), policy.required(), results);
    }

    private static RegionResult result(RegionalObservation o, Seen seen) {
        return new RegionResult(o.region(), seen, o.layer(), o.classification(),
                o.latency() == null ? null : o.latency().toMillis(), o.observedAt());
    }
}
