package dev.cloudops.probe;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How hard the prober itself is working during one run, so that a timeout caused by our own load is
 * never blamed on a site. Three signals, gathered while the run lasts:
 * <ul>
 *   <li>handshakes in flight (connect, and TLS for https, up to the peer's first answer);
 *   <li>how long the peers that did answer took to (the peer's time, the prober's queue for a work
 *       slot left out): a recent average above a third of the connect timeout means our own threads
 *       are slow to see answers, since a loaded site is not what slows every other site down with it;
 *   <li>the scheduling delay of a virtual thread that only sleeps and wakes (the same carrier threads
 *       that deliver the peers' answers to the probes): a probe's handshake waits on its peer a few
 *       times, and each wait is charged the delay, so above a third of the connect timeout the
 *       prober alone could exhaust it.
 * </ul>
 * Process CPU is sampled for the run's report. When answers slow down, the run stops opening new
 * handshakes ({@link #awaitPace()}) until they speed up again; a timeout during which any signal was up
 * is re-checked once the run is over ({@link #during(long, long)}).
 */
final class OwnLoad implements AutoCloseable {

    private static final long TICK_NANOS = Duration.ofMillis(20).toNanos();
    private static final long NEVER = Long.MIN_VALUE;
    private static final Duration PACE_CHECK = Duration.ofMillis(5);
    private static final long SLOT_NANOS = Duration.ofMillis(50).toNanos();

    private final long answerLimitNanos;
    private final long lagLimitNanos;
    private final long staleAfterNanos;
    private final Stall stall;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final LongAdder pacedNanos = new LongAdder();
    private final Thread ticker;
    private volatile boolean closed;
    private volatile boolean rechecking;

    private volatile long recentAnswerNanos;
    private volatile long lastAnswerAt = NEVER;
    /** The slots of the run's time in which the prober was under pressure, and the first reason in each. */
    private final BitSet marks = new BitSet();
    private final Map<Integer, String> reasons = new HashMap<>();
    private final long origin = System.nanoTime();

    private volatile int peakHandshakes;
    private volatile long peakAnswerNanos;
    private volatile long peakLagNanos;
    private volatile double peakCpu = -1;

    /**
     * The prober's own scheduling delay as a test imposes it: called where a probe (or the lag ticker)
     * has been woken, it may hold the thread up, as a saturated machine would. Told whether the run is
     * re-checking, when the rest of the run's load is gone.
     */
    @FunctionalInterface
    public interface Stall {
        Stall NONE = rechecking -> {
        };

        void after(boolean rechecking) throws InterruptedException;
    }

    OwnLoad(Duration connectTimeout, Stall stall) {
        this.answerLimitNanos = connectTimeout.toNanos() / 3;
        this.lagLimitNanos = connectTimeout.toNanos() / 3;
        this.staleAfterNanos = connectTimeout.toNanos();
        this.stall = stall;
        this.ticker = Thread.ofVirtual().name("probe-own-load").start(this::tick);
    }

    private void tick() {
        int processors = Runtime.getRuntime().availableProcessors();
        long cpuAt = System.nanoTime();
        long cpuUsed = processCpuNanos();
        int ticks = 0;
        while (!closed) {
            long asleep = System.nanoTime();
            try {
                Thread.sleep(Duration.ofNanos(TICK_NANOS));
                stall.after(rechecking);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long lag = now - asleep - TICK_NANOS;
            peakLagNanos = Math.max(peakLagNanos, lag);
            if (lag > lagLimitNanos) {
                pressure("the prober's threads waited " + millis(lag) + " for a processor");
            }
            if (++ticks % 5 == 0 && cpuUsed >= 0) {
                long used = processCpuNanos();
                if (used >= 0 && now > cpuAt) {
                    peakCpu = Math.max(peakCpu, (double) (used - cpuUsed) / ((now - cpuAt) * (double) processors));
                }
                cpuAt = now;
                cpuUsed = used;
            }
        }
    }

    /** CPU time of this process so far (java.base, no management module), or -1 where the OS does not tell. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** A handshake starts (the probe's connect). */
    void handshakeStarted() {
        int now = handshakes.incrementAndGet();
        if (now > peakHandshakes) {
            peakHandshakes = now;
        }
    }

    /** The peer answered the handshake after {@code peerNanos} of its own time. */
    void answered(long peerNanos) {
        handshakes.decrementAndGet();
        long previous = recentAnswerNanos;
        long recent = previous == 0 ? peerNanos : (3 * previous + peerNanos) / 4;
        recentAnswerNanos = recent;
        lastAnswerAt = System.nanoTime();
        peakAnswerNanos = Math.max(peakAnswerNanos, recent);
        if (recent > answerLimitNanos) {
            pressure("answers took " + millis(recent) + " on average, over a third of the connect timeout");
        }
    }

    /** A handshake ended without an answer (timeout, refusal, reset). */
    void unanswered() {
        handshakes.decrementAndGet();
    }

    /** Data reached a probe that was waiting on its peer; a test's stall applies here. */
    void woke() throws InterruptedException {
        stall.after(rechecking);
    }

    /**
     * Whether new handshakes should wait: recent answers are slow and still coming in. Never while
     * no handshake is in flight (nothing would speed up), nor on answers older than the connect timeout.
     */
    boolean pacing() {
        long last = lastAnswerAt;
        return recentAnswerNanos > answerLimitNanos && handshakes.get() > 0
                && last != NEVER && System.nanoTime() - last < staleAfterNanos;
    }

    /** The rest of the run is over; what runs now are its re-checks. */
    void rechecking() {
        rechecking = true;
    }

    /** Holds the caller (the run's dispatcher) while {@link #paced()}; returns at once otherwise. */
    void awaitPace() throws InterruptedException {
        if (!pacing()) {
            return;
        }
        long start = System.nanoTime();
        try {
            while (pacing()) {
                Thread.sleep(PACE_CHECK);
            }
        } finally {
            pacedNanos.add(System.nanoTime() - start);
        }
    }

    /** How long new handshakes were held back in all. */
    Duration paced() {
        return Duration.ofNanos(pacedNanos.sum());
    }

    /**
     * Why the prober was under pressure at some time from {@code fromNanos} to {@code toNanos}
     * (System.nanoTime), or null if it was not.
     */
    synchronized String during(long fromNanos, long toNanos) {
        int first = marks.nextSetBit(slot(fromNanos));
        return first >= 0 && first <= slot(toNanos) ? reasons.get(first) : null;
    }

    private synchronized void pressure(String reason) {
        int slot = slot(System.nanoTime());
        if (!marks.get(slot)) {
            marks.set(slot);
            reasons.put(slot, reason);
        }
    }

    /** The run's time in slots of {@link #SLOT_NANOS}, from when this gauge was made. */
    private int slot(long nanoTime) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE - 1, (nanoTime - origin) / SLOT_NANOS));
    }

    int peakHandshakes() {
        return peakHandshakes;
    }

    Duration peakAnswer() {
        return Duration.ofNanos(peakAnswerNanos);
    }

    Duration peakSchedulingDelay() {
        return Duration.ofNanos(Math.max(0, peakLagNanos));
    }

    /** Peak process CPU sampled in the run, 0 to 1; -1 if this JVM cannot tell. */
    double peakCpu() {
        return peakCpu;
    }

    @Override
    public void close() {
        closed = true;
        ticker.interrupt();
    }

    static String millis(long nanos) {
        long ms = nanos / 1_000_000;
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
