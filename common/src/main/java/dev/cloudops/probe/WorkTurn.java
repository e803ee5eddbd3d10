package dev.cloudops.probe;

import java.io.InterruptedIOException;

/**
 * A probe's turn at the CPU. A probe takes its turn while it computes (a TLS handshake, the
 * certificate check, reading a response) and gives it up whenever it waits on the network, so many
 * probes can wait on slow or silent peers while only a few use the CPU at once. Time spent waiting
 * for a turn is the prober's own queueing, not the site's slowness: it is counted apart and left out
 * of the timings a probe reports.
 */
interface WorkTurn {

    /** Takes the turn unless already held; may wait for one. */
    void take() throws InterruptedIOException;

    /** Gives the turn up unless not held. */
    void give();

    /** Nanoseconds spent so far waiting for a turn. */
    long queuedNanos();

    /** No limit: a probe run on its own (the execution's verification, {@code check}) never waits. */
    static WorkTurn unlimited() {
        return new WorkTurn() {
            @Override
            public void take() {
            }

            @Override
            public void give() {
            }

            @Override
            public long queuedNanos() {
                return 0;
            }
        };
    }
}
