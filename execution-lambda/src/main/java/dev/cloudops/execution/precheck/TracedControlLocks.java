package dev.cloudops.execution.precheck;

import dev.cloudops.trace.Tracing;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Locks and limits whose every operation is a {@code store locks.<operation>} or {@code store limits.<operation>}
 * subsegment, annotated with the alert id (the owner), and for a lock or a slot with whether it was granted.
 */
public record TracedControlLocks(ResourceLocks locks, ExecutionLimits limits, Tracing tracing)
        implements ResourceLocks, ExecutionLimits {

    @Override
    public Optional<String> lockAll(List<String> resources, String owner, Instant now) {
        return tracing.subsegment("store locks.lockAll", span -> {
            span.annotate("alert_id", owner).annotate("resources", resources.size());
            Optional<String> held = locks.lockAll(resources, owner, now);
            span.annotate("granted", held.isEmpty());
            return held;
        });
    }

    @Override
    public void releaseAll(List<String> resources, String owner) {
        tracing.subsegment("store locks.releaseAll", span -> {
            span.annotate("alert_id", owner).annotate("resources", resources.size());
            locks.releaseAll(resources, owner);
            return null;
        });
    }

    @Override
    public Optional<String> acquire(String owner, Instant now) {
        return tracing.subsegment("store limits.acquire", span -> {
            span.annotate("alert_id", owner);
            Optional<String> refused = limits.acquire(owner, now);
            span.annotate("granted", refused.isEmpty());
            return refused;
        });
    }

    @Override
    public void release(String owner) {
        tracing.subsegment("store limits.release", span -> {
            span.annotate("alert_id", owner);
            limits.release(owner);
            return null;
        });
    }
}
