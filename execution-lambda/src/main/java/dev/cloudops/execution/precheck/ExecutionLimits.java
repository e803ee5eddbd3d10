package dev.cloudops.execution.precheck;

import java.time.Instant;
import java.util.Optional;

/** How many executions may run at once and per hour, enforced atomically across concurrent functions. */
public interface ExecutionLimits {

    /**
     * Takes a running slot and counts one execution in the current hour for {@code owner}.
     *
     * @return empty when granted, else why not (nothing is held then)
     */
    Optional<String> acquire(String owner, Instant now);

    /** Gives the running slot back (the hourly count stays). */
    void release(String owner);
}
