package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks and limits in a SQLite file: atomic under concurrency, expiring, released only by their owner. */
class SqliteControlLocksIT {

    private static final Instant NOW = Instant.parse("2026-11-27T05:30:00Z");

    @TempDir
    Path dataFolder;

    private SqliteControlLocks locks;

    @BeforeEach
    void open() {
        locks = new SqliteControlLocks(SqliteDatabase.open(dataFolder), Duration.ofMinutes(15), 3, 5);
    }

    @Test
    void tenConcurrentExecutions_getExactlyThreeRunningSlots() throws Exception {
        List<Optional<String>> results = Race.run(10, i -> locks.acquire("alert-" + i, NOW));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(3);
        assertThat(results).filteredOn(Optional::isPresent).hasSize(7)
                .allSatisfy(r -> assertThat(r.get()).isEqualTo("3 executions are already running (the most allowed at once)"));
    }

    @Test
    void release_freesTheSlot_ofItsOwnerOnly() {
        for (int i = 0; i < 3; i++) {
            locks.acquire("alert-" + i, NOW);
        }

        locks.release("alert-other");
        Optional<String> stillFull = locks.acquire("alert-3", NOW);
        locks.release("alert-1");

        assertThat(stillFull).isPresent();
        assertThat(locks.acquire("alert-3", NOW)).isEmpty();
    }

    @Test
    void aCrashedExecutionsSlot_isFreedWhenItsLockExpires() {
        for (int i = 0; i < 3; i++) {
            locks.acquire("alert-" + i, NOW);
        }

        assertThat(locks.acquire("alert-3", NOW.plus(Duration.ofMinutes(14)))).isPresent();
        assertThat(locks.acquire("alert-3", NOW.plus(Duration.ofMinutes(16)))).isEmpty();
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
    void aRefusalForTheHourlyQuota_givesTheRunningSlotBack() {
        for (int i = 0; i < 5; i++) {
            locks.acquire("alert-" + i, NOW);
            locks.release("alert-" + i);
        }
        for (int i = 10; i < 13; i++) {
            assertThat(locks.acquire("alert-" + i, NOW)).isPresent();
        }

        assertThat(locks.acquire("alert-next-hour", NOW.plus(Duration.ofHours(1)))).isEmpty();
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

    @Test
    void tenConcurrentLockers_ofOneResource_haveExactlyOneWinner() throws Exception {
        List<Optional<String>> results = Race.run(10, i -> locks.lockAll(
                List.of("acm:cert-1", "cloudfront:E1"), "alert-" + i, NOW));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(results).filteredOn(Optional::isPresent).hasSize(9)
                .allSatisfy(r -> assertThat(r.get()).matches("acm:cert-1 is locked by the execution of alert alert-\\d"));
    }
}
