package dev.cloudops.monitor;

import dev.cloudops.CloudopsException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retry policy for the monitor's conditional writes (probe states, open-alert claims, alert
 * transitions), shared so that every race with an overlapping run is retried the same way.
 */
final class ConditionalWrites {

    /** Each lost race means another run's write went through, so this bounds waiting, not progress. */
    static final int ATTEMPTS = 30;

    private ConditionalWrites() {
    }

    /** A short random pause after a lost race, so overlapping runs stop colliding. */
    static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 + 5 * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudopsException("interrupted while retrying a conditional write", e);
        }
    }
}
