package dev.cloudops.execution.verify;

import dev.cloudops.probe.ProbeResult;
import dev.cloudops.trace.Tracing;
import java.net.URI;

/** A target probe whose every probe is a {@code probe <host>} subsegment, annotated with its classification. */
public final class TracedTargetProbe implements TargetProbe {

    private final TargetProbe probe;
    private final Tracing tracing;

    public TracedTargetProbe(TargetProbe probe, Tracing tracing) {
        this.probe = probe;
        this.tracing = tracing;
    }

    @Override
    public ProbeResult probe(URI target) {
        return tracing.subsegment("probe " + target.getHost(), span -> {
            span.annotate("domain", target.getHost());
            ProbeResult result = probe.probe(target);
            span.annotate("classification", result.classification().name());
            return result;
        });
    }
}
