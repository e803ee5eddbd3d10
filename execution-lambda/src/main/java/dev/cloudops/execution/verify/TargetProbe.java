package dev.cloudops.execution.verify;

import dev.cloudops.probe.ProbeResult;
import java.net.URI;

/** Probes a target the way detection does (DNS, TCP, TLS, HTTP). */
public interface TargetProbe {

    ProbeResult probe(URI target);
}
