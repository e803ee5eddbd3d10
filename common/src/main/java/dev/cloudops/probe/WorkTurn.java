package dev.cloudops.probe;

import java.io.InterruptedIOException;

/**
 * A probe's turn at the CPU, and its part in the run's account of the prober's own load. A probe takes its turn while it computes (a TLS handshake, the
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

    /** A connection to a peer is being opened: a handshake (TCP, and TLS for https) is in flight. */
    default void connecting() {
    }

    /** The peer answered the handshake, after {@code peerNanos} of its own time (queueing left out). */
    default void answered(long peerNanos) {
    }

    /** The connection is done; a handshake still in flight ended unanswered. */
    default void closing() {
    }

    /** Data arrived for a probe that was waiting on its peer (the prober's own scheduling happens here). */
    default void woke() throws InterruptedIOException {
    }

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
