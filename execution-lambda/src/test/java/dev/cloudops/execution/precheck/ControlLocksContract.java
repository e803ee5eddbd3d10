package dev.cloudops.execution.precheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.testing.Race;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of locks and limits must do (DynamoDB, SQLite): atomic under concurrency, expiring,
 * released only by their owner. Subclasses give a fresh, empty store locking for 15 minutes with 3 running
 * slots and 5 executions per hour.
 */
public abstract class ControlLocksContract {

    protected static final Duration LOCK_FOR = Duration.ofMinutes(15);
    protected static final int MAX_CONCURRENT = 3;
    protected static final int MAX_PER_HOUR = 5;
    private static final Instant NOW = Instant.parse("2026-11-27T05:30:00Z");

    /** The store under test, seen through both ports (adapters implement the two in one class). */
    public record Subject(ResourceLocks locks, ExecutionLimits limits) {
    }

    private ResourceLocks locks;
    private ExecutionLimits limits;

    protected abstract Subject subject();

    @BeforeEach
    public void open() {
        Subject s = subject();
        locks = s.locks();
        limits = s.limits();
    }

    @Test
    public void tenConcurrentExecutions_getExactlyThreeRunningSlots() throws Exception {
        List<Optional<String>> results = Race.run(10, i -> limits.acquire("alert-" + i, NOW));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(3);
        assertThat(results).filteredOn(Optional::isPresent).hasSize(7)
                .allSatisfy(r -> assertThat(r.get()).isEqualTo("3 executions are already running (the most allowed at once)"));
    }

    @Test
    public void release_freesTheSlot_ofItsOwnerOnly() {
        for (int i = 0; i < 3; i++) {
            limits.acquire("alert-" + i, NOW);
        }

        limits.release("alert-other");
        Optional<String> stillFull = limits.acquire("alert-3", NOW);
        limits.release("alert-1");

        assertThat(stillFull).isPresent();
        assertThat(limits.acquire("alert-3", NOW)).isEmpty();
    }

    @Test
    public void aCrashedExecutionsSlot_isFreedWhenItsLockExpires() {
        for (int i = 0; i < 3; i++) {
            limits.acquire("alert-" + i, NOW);
        }

        assertThat(limits.acquire("alert-3", NOW.plus(Duration.ofMinutes(14)))).isPresent();
        assertThat(limits.acquire("alert-3", NOW.plus(Duration.ofMinutes(16)))).isEmpty();
    }

    @Test
    public void theHourlyQuota_countsAcrossReleases_andResetsNextHour() {
        for (int i = 0; i < 5; i++) {
            assertThat(limits.acquire("alert-" + i, NOW)).isEmpty();
            limits.release("alert-" + i);
        }

        assertThat(limits.acquire("alert-6", NOW)).hasValue("5 executions already ran in the hour 2026-11-27T05 UTC (the most allowed)");
        assertThat(limits.acquire("alert-6", NOW.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    public void aRefusalForTheHourlyQuota_givesTheRunningSlotBack() {
        for (int i = 0; i < 5; i++) {
            limits.acquire("alert-" + i, NOW);
            limits.release("alert-" + i);
        }
        for (int i = 10; i < 13; i++) {
            assertThat(limits.acquire("alert-" + i, NOW)).isPresent();
        }

        assertThat(limits.acquire("alert-next-hour", NOW.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    public void resourceLocks_areAllOrNothing_expire_andAreReleasedOnlyByTheirOwner() {
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
    public void tenConcurrentLockers_ofOneResource_haveExactlyOneWinner() throws Exception {
        List<Optional<String>> results = Race.run(10, i -> locks.lockAll(
                List.of("acm:cert-1", "cloudfront:E1"), "alert-" + i, NOW));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(results).filteredOn(Optional::isPresent).hasSize(9)
                .allSatisfy(r -> assertThat(r.get()).matches("acm:cert-1 is locked by the execution of alert alert-\\d"));
    }
}
