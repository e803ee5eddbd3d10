package dev.cloudops.monitor.quorum;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides, without I/O, whether a target's failure is seen from enough regions to become an alert: from the
 * latest observation of each known region, failing by quorum when at least Q regions saw a failing layer within
 * the window, regional when fewer did, healthy when none did.
 */
public final class Quorum {

    private final QuorumPolicy policy;

    public Quorum(QuorumPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * The verdict on {@code target} at {@code now}. Of several observations from one region only the latest
     * counts (a flapping region is as its last probe saw it). A known region without an observation in the
     * window is silent and counts neither way: an observation counts if it is stamped no more than the clock
     * skew after {@code now} (as if made now) and no more than window + skew before it; observations of other
     * targets or of regions the policy does not name are ignored.
     */
    public Verdict evaluate(URI target, Collection<RegionalObservation> observations, Instant now) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(now, "now");
        Map<String, RegionalObservation> latest = new HashMap<>();
        for (RegionalObservation o : observations) {
            if (o.target().equals(target) && policy.regions().contains(o.region()) && counts(o, now)) {
                latest.merge(o.region(), o, (a, b) -> b.observedAt().isAfter(a.observedAt()) ? b : a);
            }
        }
        SortedMap<String, RegionalObservation> failing = new TreeMap<>();
        SortedMap<String, RegionalObservation> healthy = new TreeMap<>();
        SortedSet<String> silent = new TreeSet<>();
        for (String region : policy.regions()) {
            RegionalObservation o = latest.get(region);
            if (o == null) {
                silent.add(region);
            } else if (o.failing()) {
                failing.put(region, o);
            } else {
                healthy.put(region, o);
            }
        }
        Regions regions = new Regions(failing, healthy, silent);
        if (failing.size() >= policy.required()) {
            return new Verdict.FailingByQuorum(target, regions);
        }
        if (!failing.isEmpty()) {
            return new Verdict.Regional(target, regions);
        }
        return new Verdict.Healthy(target, regions);
    }

    private boolean counts(RegionalObservation o, Instant now) {
        Instant at = o.observedAt();
        return !at.isAfter(now.plus(policy.clockSkew()))
                && !at.isBefore(now.minus(policy.window()).minus(policy.clockSkew()));
    }

    /**
     * The key under which exactly one region claims the alert of a quorum failure of {@code target} (an
     * {@link dev.cloudops.monitor.dedupe.OpenAlertClaims} fingerprint): one per target, so racing regions
     * contend for one item; a later failure episode takes the claim over from the closed one's holder.
     */
    public static String claimFingerprint(URI target) {
        return "quorum#" + target;
    }

    /** How the known regions split: the failing and healthy ones with their observations, and the silent ones. */
    public record Regions(SortedMap<String, RegionalObservation> failing, SortedMap<String, RegionalObservation> healthy,
            SortedSet<String> silent) {

        public Regions {
            failing = Collections.unmodifiableSortedMap(new TreeMap<>(failing));
            healthy = Collections.unmodifiableSortedMap(new TreeMap<>(healthy));
            silent = Collections.unmodifiableSortedSet(new TreeSet<>(silent));
        }
    }

    /** The outcome for one target. */
    public sealed interface Verdict {

        URI target();

        Regions regions();

        /** At least Q regions saw a failing layer within the window: an alert, claimed by one region. */
        record FailingByQuorum(URI target, Regions regions) implements Verdict {
        }

        /** Some, but fewer than Q, regions saw a failing layer: a regional observation, not an alert. */
        record Regional(URI target, Regions regions) implements Verdict {
        }

        /** No region saw a failing layer within the window (every region may also be silent). */
        record Healthy(URI target, Regions regions) implements Verdict {
        }
    }
}
