package dev.cloudops.monitor.target;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What the monitor remembers of one target between runs: the current streak of failures or
 * successes, the last result and when it last changed, and whether an alert is out for it.
 * {@code version} 0 means never stored.
 */
public record ProbeState(
        URI url,
        int consecutiveFailures,
        int consecutiveSuccesses,
        Classification lastClassification,
        String lastDetails,
        Instant lastChangeAt,
        Instant lastProbedAt,
        boolean alerting,
        long version) {

    public ProbeState {
        Objects.requireNonNull(url, "url");
        lastChangeAt = Timestamps.stored(lastChangeAt);
        lastProbedAt = Timestamps.stored(lastProbedAt);
    }

    public static ProbeState initial(URI url) {
        return new ProbeState(url, 0, 0, null, null, null, null, false, 0);
    }

    /** The state after one more probe result; the next version. */
    public ProbeState observe(ProbeResult result, Instant at) {
        boolean healthy = result.healthy();
        Instant changed = result.classification() == lastClassification ? lastChangeAt : at;
        return new ProbeState(url, healthy ? 0 : consecutiveFailures + 1, healthy ? consecutiveSuccesses + 1 : 0,
                result.classification(), result.details(), changed, at, alerting, version + 1);
    }

    public ProbeState withAlerting(boolean value) {
        return new ProbeState(url, consecutiveFailures, consecutiveSuccesses, lastClassification, lastDetails,
                lastChangeAt, lastProbedAt, value, version);
    }
}
