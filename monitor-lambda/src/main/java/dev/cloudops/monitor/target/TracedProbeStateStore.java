package dev.cloudops.monitor.target;

import dev.cloudops.trace.Tracing;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A probe-state store whose every operation is a {@code store probe-states.<operation>} subsegment, annotated with
 * the target's host, and for a save with whether it was applied.
 */
public record TracedProbeStateStore(ProbeStateStore states, Tracing tracing) implements ProbeStateStore {

    @Override
    public Optional<ProbeState> find(URI url) {
        return tracing.subsegment("store probe-states.find", span -> {
            span.annotate("domain", url.getHost());
            return states.find(url);
        });
    }

    @Override
    public Map<URI, ProbeState> findAll(Collection<URI> urls) {
        return tracing.subsegment("store probe-states.findAll", span -> {
            span.annotate("targets", urls.size());
            Map<URI, ProbeState> found = states.findAll(urls);
            span.annotate("found", found.size());
            return found;
        });
    }

    @Override
    public boolean save(ProbeState next) {
        return tracing.subsegment("store probe-states.save", span -> {
            span.annotate("domain", next.url().getHost()).annotate("version", next.version());
            boolean applied = states.save(next);
            span.annotate("applied", applied);
            return applied;
        });
    }
}
