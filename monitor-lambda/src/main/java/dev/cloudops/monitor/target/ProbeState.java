package dev.cloudops.monitor.target;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the monitor remembers of one target between runs: the current streak of failures or
 * successes, the last result and when it last changed, whether an alert is out for it, and how
 * long its last probe took (so a new container starts the targets that hung last time first).
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
        Duration lastDuration,
        long version) {

    public ProbeState {
        Objects.requireNonNull(url, "url");
        lastChangeAt = Timestamps.stored(lastChangeAt);
        lastProbedAt = Timestamps.stored(lastProbedAt);
    }

    /** A state without a recorded duration (stores that keep none). */
    public ProbeState(URI url, int consecutiveFailures, int consecutiveSuccesses, Classification lastClassification,
            String lastDetails, Instant lastChangeAt, Instant lastProbedAt, boolean alerting, long version) {
        this(url, consecutiveFailures, consecutiveSuccesses, lastClassification, lastDetails, lastChangeAt,
                lastProbedAt, alerting, null, version);
    }

    public static ProbeState initial(URI url) {
        return new ProbeState(url, 0, 0, null, null, null, null, false, null, 0);
    }

    /** The state after one more probe result; the next version. */
    public ProbeState observe(ProbeResult result, Instant at) {
        boolean healthy = result.healthy();
        Instant changed = result.classification() == lastClassification ? lastChangeAt : at;
        return new ProbeState(url, healthy ? 0 : consecutiveFailures + 1, healthy ? consecutiveSuccesses + 1 : 0,
                result.classification(), result.details(), changed, at, alerting, result.elapsed(), version + 1);
    }

    public ProbeState withAlerting(boolean value) {
        return new ProbeState(url, consecutiveFailures, consecutiveSuccesses, lastClassification, lastDetails,
                lastChangeAt, lastProbedAt, value, lastDuration, version);
    }
}
