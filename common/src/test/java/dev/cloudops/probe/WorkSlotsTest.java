package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkSlotsTest {

    @Test
    void aFreedSlot_goesToTheEarliestStartedWaiter_notTheFirstToAsk() throws Exception {
        assertThat(serve(new long[] {5, 1, 3}, new boolean[] {false, false, false})).containsExactly(1L, 3L, 5L);
    }

    @Test
    void openingTurns_comeBeforeContinuingOnes_eachInStartOrder() throws Exception {
        // ranks 7 and 9 have yet to say their first word to their peers; 1, 3 and 5 are mid-handshake
        assertThat(serve(new long[] {5, 9, 1, 7, 3}, new boolean[] {false, true, false, true, false}))
                .containsExactly(7L, 9L, 1L, 3L, 5L);
    }

    /** Queues one waiter per rank behind a held single slot, frees it, and returns the order they were served in. */
    private static List<Long> serve(long[] ranks, boolean[] opening) throws InterruptedException {
        WorkSlots slots = new WorkSlots(1);
        slots.acquire(0, true);
        List<Long> served = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new java.util.ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            long rank = ranks[i];
            boolean first = opening[i];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    slots.acquire(rank, first);
                    served.add(rank);
                    slots.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            awaitWaiting(t);
            waiters.add(t);
        }

        slots.release();
        for (Thread t : waiters) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        return served;
    }

    @Test
    void anInterruptedWaiter_leavesTheQueue_andNoSlotIsLost() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        slots.acquire(0, true);
        Thread quitter = Thread.ofPlatform().start(() -> {
            try {
                slots.acquire(1, false);
            } catch (InterruptedException expected) {
                // leaves
            }
        });
        awaitWaiting(quitter);
        quitter.interrupt();
        quitter.join(5_000);

        slots.release();

        Thread next = Thread.ofPlatform().start(() -> {
            try {
                slots.acquire(2, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        next.join(5_000);
        assertThat(next.isAlive()).as("the one slot went to the next waiter").isFalse();
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }
}
