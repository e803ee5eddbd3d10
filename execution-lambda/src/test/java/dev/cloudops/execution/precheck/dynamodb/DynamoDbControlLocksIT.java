package dev.cloudops.execution.precheck.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Locks and limits against the DynamoDB emulator: atomic under concurrency, expiring, released only by their owner. */
@ExtendWith(Emulators.class)
class DynamoDbControlLocksIT {

    private static final Instant NOW = Instant.parse("2026-11-27T05:30:00Z");

    private final Dynalite dynalite;
    private DynamoDbControlLocks locks;

    DynamoDbControlLocksIT(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    @BeforeEach
    void table() {
        String table = "control-" + UUID.randomUUID();
        dynalite.createTable(ControlTable.createRequest(table));
        locks = new DynamoDbControlLocks(dynalite.client(), table, Duration.ofMinutes(15), 3, 5);
    }

    @Test
    void tenConcurrentExecutions_getExactlyThreeRunningSlots() throws Exception {
        List<Optional<String>> results = race(10, i -> locks.acquire("alert-" + i, NOW));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(3);
        assertThat(results).filteredOn(Optional::isPresent).hasSize(7)
                .allSatisfy(r -> assertThat(r.get()).isEqualTo("3 executions are already running (the most allowed at once)"));
    }

    @Test
    void theHourlyQuota_countsAcrossReleases_andResetsNextHour() {
        for (int i = 0; i < 5; i++) {
            assertThat(locks.acquire("alert-" + i, NOW)).isEmpty();
            locks.release("alert-" + i);
        }

        assertThat(locks.acquire("alert-6", NOW)).hasValue("5 executions already ran in the hour 2026-11-27T05 UTC (the most allowed)");
        assertThat(locks.acquire("alert-6", NOW.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void resourceLocks_areAllOrNothing_expire_andAreReleasedOnlyByTheirOwner() {
        assertThat(locks.lockAll(List.of("cloudfront:E1"), "alert-a", NOW)).isEmpty();

        Optional<String> refused = locks.lockAll(List.of("route53:Z1/www.example.com/A", "cloudfront:E1"), "alert-b", NOW);
        locks.releaseAll(List.of("cloudfront:E1"), "alert-b");

        assertThat(refused).hasValue("cloudfront:E1 is locked by the execution of alert alert-a");
        assertThat(locks.lockAll(List.of("route53:Z1/www.example.com/A"), "alert-c", NOW)).isEmpty();
        assertThat(locks.lockAll(List.of("cloudfront:E1"), "alert-c", NOW)).isPresent();
        assertThat(locks.lockAll(List.of("cloudfront:E1"), "alert-c", NOW.plus(Duration.ofMinutes(16)))).isEmpty();
        locks.releaseAll(List.of("cloudfront:E1"), "alert-c");
        assertThat(locks.lockAll(List.of("cloudfront:E1"), "alert-d", NOW.plus(Duration.ofMinutes(16)))).isEmpty();
    }

    private interface Attempt {
        Optional<String> run(int index);
    }

    private static List<Optional<String>> race(int n, Attempt attempt) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<Optional<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return attempt.run(index);
                }));
            }
            go.countDown();
            List<Optional<String>> out = new ArrayList<>();
            for (Future<Optional<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
