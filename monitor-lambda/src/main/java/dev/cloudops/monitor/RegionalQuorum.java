package dev.cloudops.monitor;

import dev.cloudops.CloudopsException;
import dev.cloudops.monitor.quorum.Quorum;
import dev.cloudops.monitor.quorum.QuorumPolicy;
import dev.cloudops.monitor.quorum.RegionalObservation;
import dev.cloudops.monitor.quorum.RegionalObservations;
import dev.cloudops.probe.ProbeOutcome;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * This monitor's region in a multi-region quorum (issue 24): records what its probes saw as the region's latest
 * observations, and asks the quorum whether a confirmed failure is seen from enough regions to become an alert.
 * With one region it is off: nothing is read or written and every confirmed failure is an alert, as before.
 *
 * <p>Exactly one region raises a quorum failure's alert through the claim that already makes overlapping runs of
 * one region raise exactly one ({@link OpenAlerts}: a conditional write of the domain-and-issue fingerprint on the
 * Control table the regions share): to the claim, another region is one more overlapping run, so the first region
 * to find the quorum raises the alert and the others count on it, and recovery resolves it as before. A second,
 * per-target claim ({@code Quorum.claimFingerprint}) would add a write without adding a guarantee. This holds while
 * the regions' claims go to one table; on a DynamoDB global table, conditional writes in different regions are not
 * serialised. Regions that see different failure classes (DNS in one, TLS in another) raise one alert per class,
 * as one region does today when the class changes.
 */
final class RegionalQuorum {

    /** Observations written at once after a run (each a conditional write), as many as the probe states. */
    private static final int PARALLEL_WRITES = 16;

    private final String region;
    private final QuorumPolicy policy;
    private final Optional<RegionalObservations> observations;
    private final Optional<Duration> regionalAlertAfter;
    private final Quorum quorum;
    private final Clock clock;

    private RegionalQuorum(String region, QuorumPolicy policy, Optional<RegionalObservations> observations,
            Optional<Duration> regionalAlertAfter, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.observations = observations;
        this.regionalAlertAfter = Objects.requireNonNull(regionalAlertAfter, "regionalAlertAfter");
        this.quorum = new Quorum(policy);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!policy.regions().contains(region)) {
            throw new IllegalArgumentException("the probe region " + region + " is not one of " + policy.regions());
        }
    }

    /** One region deciding alone: today's behaviour, without reads or writes of observations. */
    static RegionalQuorum off() {
        return new RegionalQuorum("local", new QuorumPolicy(1, new TreeSet<>(Set.of("local")), Duration.ofMinutes(10),
                QuorumPolicy.DEFAULT_CLOCK_SKEW), Optional.empty(), Optional.empty(), Clock.systemUTC());
    }

    /**
     * {@code region}'s part in {@code policy}, keeping observations in {@code observations}; off when the policy
     * names one region only (nobody else to agree with). A failure this region has seen for
     * {@code regionalAlertAfter} while too few regions agree raises a LOW regional-reachability alert (empty: never).
     */
    static RegionalQuorum of(String region, QuorumPolicy policy, RegionalObservations observations,
            Optional<Duration> regionalAlertAfter, Clock clock) {
        return new RegionalQuorum(region, policy, policy.known() > 1 ? Optional.of(observations) : Optional.empty(),
                regionalAlertAfter, clock);
    }

    boolean on() {
        return observations.isPresent();
    }

    /** Records every finished probe's result as this region's latest observation of its target, several at once. */
    void recordAll(List<ProbeOutcome> outcomes) {
        if (observations.isEmpty()) {
            return;
        }
        RegionalObservations store = observations.get();
        Semaphore writing = new Semaphore(PARALLEL_WRITES);
        List<Future<Boolean>> futures = new ArrayList<>(outcomes.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ProbeOutcome outcome : outcomes) {
                if (outcome instanceof ProbeOutcome.Finished finished) {
                    futures.add(pool.submit(() -> {
                        writing.acquire();
                        try {
                            // False only when a newer observation of this region is stored: nothing to do.
                            return store.record(RegionalObservation.of(finished.result(), region));
                        } finally {
                            writing.release();
                        }
                    }));
                }
            }
        }
        for (Future<Boolean> future : futures) {
            switch (future.state()) {
                case SUCCESS -> {
                }
                case FAILED -> {
                    if (future.exceptionNow() instanceof RuntimeException e) {
                        throw e;
                    }
                    throw new CloudopsException("recording a regional observation failed", future.exceptionNow());
                }
                default -> throw new CloudopsException("recording the regional observations was interrupted");
            }
        }
    }

    /**
     * The quorum's verdict on a failure this region has confirmed for {@code target}, from the latest observation
     * of every region (read consistently, after this region's own was recorded); only when {@link #on()}.
     */
    Quorum.Verdict evaluate(URI target) {
        if (observations.isEmpty()) {
            throw new IllegalStateException("the quorum is off: one region decides alone");
        }
        return quorum.evaluate(target, observations.get().latest(target, policy.regions()), clock.instant());
    }

    /** What the run report says of a failure seen from fewer than Q regions. */
    String regional(Quorum.Verdict.Regional verdict) {
        return "regional: failing in " + String.join(", ", verdict.regions().failing().keySet()) + " only ("
                + policy.required() + " of " + policy.known() + " needed)";
    }

    /**
     * Whether a failure seen from too few regions, which this region has seen since {@code since}, has lasted long
     * enough for a regional-reachability alert.
     */
    boolean persistent(Instant since) {
        return regionalAlertAfter.isPresent() && !since.plus(regionalAlertAfter.get()).isAfter(clock.instant());
    }

    /**
     * The details of a regional-reachability alert: how long this region has seen it, and the split, naming the
     * failing, healthy and silent regions.
     */
    String reachability(Quorum.Verdict.Regional verdict, Instant since, String probeDetails) {
        Duration lasted = Duration.between(since, clock.instant());
        Quorum.Regions regions = verdict.regions();
        return "regional reachability: failing from " + String.join(", ", regions.failing().keySet())
                + " only, for " + Math.max(1, lasted.toMinutes()) + " min (" + policy.required() + " of "
                + policy.known() + " regions needed for a site-wide alert)"
                + (regions.healthy().isEmpty() ? "" : "; healthy from " + String.join(", ", regions.healthy().keySet()))
                + (regions.silent().isEmpty() ? "" : "; silent: " + String.join(", ", regions.silent()))
                + ": " + probeDetails;
    }
}
