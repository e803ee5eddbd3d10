package dev.cloudops.probe;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CPU slots of one probe run. A probe's opening turn (up to its first word to the peer: a TLS
 * ClientHello or an HTTP request) comes before every other turn: it costs little and starts the
 * peer's clock, so a silent peer's timeout runs from the moment its probe starts, not from whenever
 * the CPU gets round to it. Other turns go in the order the probes started, not the order they
 * asked: a probe that started earlier finishes first and frees its socket for the next target,
 * instead of every probe in flight crawling forward together.
 */
final class WorkSlots {

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparing(Waiter::opening).reversed().thenComparingLong(Waiter::rank));
    private int free;

    WorkSlots(int slots) {
        this.free = slots;
    }

    /**
     * Waits for a slot. Opening turns are served first, then the lowest {@code rank} (the earliest
     * started probe).
     */
    void acquire(long rank, boolean opening) throws InterruptedException {
        lock.lock();
        try {
            if (free > 0 && waiting.isEmpty()) {
                free--;
                return;
            }
            Waiter waiter = new Waiter(rank, opening, lock.newCondition());
            waiting.add(waiter);
            try {
                while (!waiter.granted) {
                    waiter.signal.await();
                }
            } catch (InterruptedException e) {
                if (waiter.granted) {
                    handOn();
                } else {
                    waiting.remove(waiter);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            handOn();
        } finally {
            lock.unlock();
        }
    }

    private void handOn() {
        Waiter next = waiting.poll();
        if (next == null) {
            free++;
        } else {
            next.granted = true;
            next.signal.signal();
        }
    }

    private static final class Waiter {
        private final long rank;
        private final boolean opening;
        private final Condition signal;
        private boolean granted;

        Waiter(long rank, boolean opening, Condition signal) {
            this.rank = rank;
            this.opening = opening;
            this.signal = signal;
        }

        long rank() {
            return rank;
        }

        boolean opening() {
            return opening;
        }
    }
}
