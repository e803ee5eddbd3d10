package dev.cloudops.monitor.quorum;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How many of the known regions must see a failure for it to become an alert: {@code required} (Q) of
 * {@code regions} (N), each counting only with an observation younger than {@code window} (allowing
 * {@code clockSkew} between the regions' clocks). One of one region is today's single-region behaviour.
 *
 * @param required Q, at least 1 and at most the number of regions
 * @param regions the N regions that probe, by name (e.g. {@code eu-west-1})
 * @param window how old an observation may be and still count; by default two schedule periods
 * @param clockSkew how far regions' clocks may disagree; by default {@link #DEFAULT_CLOCK_SKEW}
 */
public record QuorumPolicy(int required, SortedSet<String> regions, Duration window, Duration clockSkew) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    public QuorumPolicy {
        Objects.requireNonNull(regions, "regions");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(clockSkew, "clockSkew");
        regions = Collections.unmodifiableSortedSet(new TreeSet<>(regions));
        if (regions.isEmpty() || regions.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a quorum names at least one region, none blank: " + regions);
        }
        if (required < 1 || required > regions.size()) {
            throw new IllegalArgumentException("a quorum needs 1 <= Q <= N; got Q=" + required + " of N="
                    + regions.size() + " " + regions);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the quorum window must be positive; got " + window);
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("the allowed clock skew cannot be negative; got " + clockSkew);
        }
    }

    /** Q of these regions, with the default window (two schedule periods) and clock skew. */
    public static QuorumPolicy of(int required, Collection<String> regions, Duration schedulePeriod) {
        Objects.requireNonNull(schedulePeriod, "schedulePeriod");
        return new QuorumPolicy(required, new TreeSet<>(Set.copyOf(regions)), schedulePeriod.multipliedBy(2),
                DEFAULT_CLOCK_SKEW);
    }

    /** One of one region: today's behaviour, where the monitor's own probe decides alone. */
    public static QuorumPolicy single(String region, Duration schedulePeriod) {
        return of(1, Set.of(region), schedulePeriod);
    }

    /** N, the number of known regions. */
    public int known() {
        return regions.size();
    }
}
