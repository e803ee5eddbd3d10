package dev.cloudops.execution.verify;

import dev.cloudops.CloudopsException;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import java.net.URI;

/** The detection prober, with the default expectations for a URL (2xx or 3xx, no keyword). */
public final class ProberTargetProbe implements TargetProbe {

    private final Prober prober;

    public ProberTargetProbe(Prober prober) {
        this.prober = prober;
    }

    @Override
    public ProbeResult probe(URI target) {
        try {
            return prober.probe(ProbeSpec.of(target));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudopsException("interrupted while probing " + target, e);
        }
    }
}
