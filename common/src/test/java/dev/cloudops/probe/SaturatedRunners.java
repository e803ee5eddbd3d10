package dev.cloudops.probe;

import java.time.Clock;
import java.time.Duration;

/**
 * Probe runners whose own scheduling is held up, as on a saturated machine, for tests of other modules:
 * each wake-up of a probe or of the run's load ticker waits {@code stall} until the run starts
 * re-checking (when the rest of its load is gone).
 */
public final class SaturatedRunners {

    private SaturatedRunners() {
    }

    public static ProbeRunner untilRecheck(Prober prober, int workSlots, int openLimit, Duration stall) {
        return new ProbeRunner(prober, workSlots, openLimit, Clock.systemUTC(), dev.cloudops.trace.Tracing.NONE,
                rechecking -> {
                    if (!rechecking) {
                        Thread.sleep(stall);
                    }
                });
    }
}
