package dev.cloudops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UlidGeneratorTest {

    @Test
    void get_encodesTheMillisecondsInTheFirstTenCharacters() {
        // The ULID specification's example time 1469918176385 encodes as 01ARYZ6S41.
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_469_918_176_385L), ZoneOffset.UTC);

        String id = new UlidGenerator(clock, new Random(1)).get();

        assertThat(id).hasSize(26).startsWith("01ARYZ6S41").matches("[0-9A-HJKMNP-TV-Z]{26}");
    }

    @Test
    void get_sortsByTime_andDoesNotRepeat() {
        Random random = new Random(7);
        String earlier = new UlidGenerator(Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneOffset.UTC), random)
                .get();
        UlidGenerator later = new UlidGenerator(Clock.fixed(Instant.parse("2026-11-27T02:00:01Z"), ZoneOffset.UTC),
                random);

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(later.get());
        }

        assertThat(ids).hasSize(10_000).allSatisfy(id -> assertThat(id).isGreaterThan(earlier));
    }

    @Test
    void get_usesAllEightyRandomBits() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

        String allOnes = new UlidGenerator(clock, new ConstantRandom(-1L)).get();
        String allZeros = new UlidGenerator(clock, new ConstantRandom(0L)).get();

        assertThat(allOnes).isEqualTo("0000000000ZZZZZZZZZZZZZZZZ");
        assertThat(allZeros).isEqualTo("00000000000000000000000000");
    }

    private static final class ConstantRandom extends Random {
        private final long value;

        ConstantRandom(long value) {
            this.value = value;
        }

        @Override
        public long nextLong() {
            return value;
        }
    }
}
