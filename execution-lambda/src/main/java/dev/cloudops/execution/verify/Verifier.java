package dev.cloudops.execution.verify;

import dev.cloudops.execution.ExecutionLog;
import dev.cloudops.probe.ProbeResult;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** After the last step, probes the target until it is healthy or a deadline passes. */
public final class Verifier {

    /** Whether the target became healthy, and the last probe's words. */
    public record Result(boolean healthy, int probes, String last) {
    }

    private final TargetProbe probe;
    private final Clock clock;
    private final Duration deadline;
    private final Duration interval;

    public Verifier(TargetProbe probe, Clock clock, Duration deadline, Duration interval) {
        this.probe = probe;
        this.clock = clock;
        this.deadline = deadline;
        this.interval = interval;
    }

    public Result verify(URI target, ExecutionLog log) {
        return verify(target, log, deadline);
    }

    /** Probes until healthy or the deadline, or {@code atMost} if that comes first (the invocation's time). */
    public Result verify(URI target, ExecutionLog log, Duration atMost) {
        Instant until = clock.instant().plus(atMost.compareTo(deadline) < 0 ? atMost : deadline);
        int probes = 0;
        while (true) {
            ProbeResult result = probe.probe(target);
            probes++;
            String words = result.classification() + ": " + result.details();
            log.verification("probe " + probes + " at " + clock.instant() + ": " + words);
            if (result.healthy()) {
                return new Result(true, probes, words);
            }
            if (!clock.instant().plus(interval).isBefore(until)) {
                return new Result(false, probes, words);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, probes, "interrupted; last: " + words);
            }
        }
    }
}
