package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkSlotsTest {

    @Test
    void aFreedSlot_goesToTheEarliestStartedWaiter_notTheFirstToAsk() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        slots.acquire(0);
        List<Long> served = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new java.util.ArrayList<>();
        for (long rank : new long[] {5, 1, 3}) {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    slots.acquire(rank);
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

        assertThat(served).containsExactly(1L, 3L, 5L);
    }

    @Test
    void anInterruptedWaiter_leavesTheQueue_andNoSlotIsLost() throws Exception {
        WorkSlots slots = new WorkSlots(1);
        slots.acquire(0);
        Thread quitter = Thread.ofPlatform().start(() -> {
            try {
                slots.acquire(1);
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
                slots.acquire(2);
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
