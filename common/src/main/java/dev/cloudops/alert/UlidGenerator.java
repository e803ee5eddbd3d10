package dev.cloudops.alert;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Makes alert ids as ULIDs: 26 Crockford base-32 characters, 48 bits of milliseconds then 80 random
 * bits, so ids sort by creation time. Thread-safe.
 */
public final class UlidGenerator implements Supplier<String> {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final RandomGenerator random;

    public UlidGenerator(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    @Override
    public String get() {
        long millis = clock.millis();
        if (millis < 0 || millis >= (1L << 48)) {
            throw new IllegalStateException("clock out of ULID range: " + millis);
        }
        long randomHigh;
        long randomLow;
        synchronized (this) {
            randomHigh = random.nextLong() & 0xFFFFL;   // 16 bits
            randomLow = random.nextLong();              // 64 bits
        }
        char[] out = new char[26];
        // 10 characters of time (50 bits, top 2 always zero)
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 16 characters of randomness: 80 bits = randomHigh(16) . randomLow(64)
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (randomLow & 31)];
            randomLow = (randomLow >>> 5) | ((randomHigh & 31) << 59);
            randomHigh >>>= 5;
        }
        return new String(out);
    }
}
