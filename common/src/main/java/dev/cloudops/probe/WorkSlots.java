package dev.cloudops.probe;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CPU slots of one probe run, handed to waiting probes in the order the probes started, not the
 * order they asked: a probe that started earlier finishes first and frees its socket for the next
 * target, instead of every probe in flight crawling forward together.
 */
final class WorkSlots {

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(Comparator.comparingLong(Waiter::rank));
    private int free;

    WorkSlots(int slots) {
        this.free = slots;
    }

    /** Waits for a slot; among waiters, the lowest {@code rank} (the earliest started probe) is served first. */
    void acquire(long rank) throws InterruptedException {
        lock.lock();
        try {
            if (free > 0 && waiting.isEmpty()) {
                free--;
                return;
            }
            Waiter waiter = new Waiter(rank, lock.newCondition());
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
        private final Condition signal;
        private boolean granted;

        Waiter(long rank, Condition signal) {
            this.rank = rank;
            this.signal = signal;
        }

        long rank() {
            return rank;
        }
    }
}
