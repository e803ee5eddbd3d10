package dev.cloudops.probe;

import java.time.Duration;
import java.util.List;

/**
 * What one run of many probes found, in the order the targets were given, and how loaded the prober
 * itself was meanwhile: a timeout that began while the prober was the bottleneck was re-checked once
 * the rest of the run was over, and the second answer counts.
 */
public record ProbeRun(List<ProbeOutcome> outcomes, Load load) {

    public ProbeRun {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * The prober's own load in the run: the targets re-checked and why (one line each, "url: reason"),
     * how long new handshakes were held back, and the peaks of handshakes in flight, of the recent
     * answer time, of the scheduling delay and of process CPU (0 to 1; -1 when the JVM cannot tell).
     */
    public record Load(List<String> rechecked, Duration paced, int peakHandshakes, Duration peakAnswer,
            Duration peakSchedulingDelay, double peakProcessCpu) {

        public static final Load NONE = new Load(List.of(), Duration.ZERO, 0, Duration.ZERO, Duration.ZERO, -1);

        public Load {
            rechecked = List.copyOf(rechecked);
        }
    }
}
