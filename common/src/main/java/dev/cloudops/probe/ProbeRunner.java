package dev.cloudops.probe;

import dev.cloudops.trace.Tracing;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes many targets at once on virtual threads and returns by the deadline whatever happens:
 * targets not finished by then are reported as unfinished, in the order given, never dropped.
 *
 * <p>Two bounds: at most {@code openLimit} probes are in flight at all (sockets and file
 * descriptors), and at most {@code workSlots} of them use the CPU at once. A probe holds a work slot
 * only while it computes (a handshake, a certificate check, reading a response) and gives it up
 * whenever it waits on its peer ({@link WorkTurn}), so a silent or slow site costs a socket, not
 * the CPU, and hundreds of such waits overlap from the start of the run. Time a probe spends
 * waiting for a slot is the prober's own queueing: it counts neither against the site's timeouts
 * nor in the latency reported. A probe's opening turn (up to its first word to the peer) goes first,
 * so every started probe's clock is running at once; other turns go to the earliest started of the
 * probes waiting, so probes finish about in the order they started and free their sockets for the
 * next targets. A timeout needs no turn: it is reported the moment the peer's time is up.
 *
 * <p>A PERFORMANCE verdict is measured again after the rest of the run, within its budget, and the
 * second measurement decides (a busy prober can be slow to read an answer that came in time).
 *
 * <p>Targets start longest-first by how long each took in this runner's previous run (a warm Lambda
 * container keeps it). Results are still returned in the order given.
 *
 * <p>Traced, a run is a {@code probe} subsegment with one {@code probe <host>} subsegment per target.
 */
public final class ProbeRunner {

    private final Prober prober;
    private final int workSlots;
    private final int openLimit;
    private final Clock clock;
    private final Tracing tracing;
    private final Map<java.net.URI, Long> lastNanos = new ConcurrentHashMap<>();

    public ProbeRunner(Prober prober, int workSlots, int openLimit, Clock clock) {
        this(prober, workSlots, openLimit, clock, Tracing.NONE);
    }

    public ProbeRunner(Prober prober, int workSlots, int openLimit, Clock clock, Tracing tracing) {
        if (workSlots < 1 || openLimit < 1) {
            throw new IllegalArgumentException("need at least one work slot and one open probe, got " + workSlots
                    + " and " + openLimit);
        }
        this.prober = prober;
        this.workSlots = workSlots;
        this.openLimit = openLimit;
        this.clock = clock;
        this.tracing = tracing;
    }

    /** The default number of work slots: two per processor, so one probe's pause for I/O never idles a core. */
    public static int defaultWorkSlots() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * Durations remembered from earlier runs (a store's, for a container that has not run yet), used
     * to order the next run where this runner has no history of its own.
     */
    public void recall(Map<java.net.URI, Duration> durations) {
        durations.forEach((url, duration) -> lastNanos.putIfAbsent(url, duration.toNanos()));
    }

    public List<ProbeOutcome> run(List<ProbeSpec> specs, Instant deadline) {
        return tracing.subsegment("probe", span -> {
            span.annotate("targets", specs.size());
            return confirmSlow(specs, runAll(specs, deadline), deadline);
        });
    }

    /**
     * A slow answer may be the prober's own doing: with hundreds of handshakes in flight, a probe can
     * wait for the CPU after its peer has answered. So a PERFORMANCE verdict is measured again once the
     * rest of the run is done, within the same budget, and the second measurement decides. A target
     * that is slow twice stays PERFORMANCE; one whose confirmation cannot finish in time keeps its
     * first verdict.
     */
    private List<ProbeOutcome> confirmSlow(List<ProbeSpec> specs, List<ProbeOutcome> outcomes, Instant deadline) {
        List<Integer> slow = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof ProbeOutcome.Finished f
                    && f.result().classification() == Classification.PERFORMANCE) {
                slow.add(i);
            }
        }
        if (slow.isEmpty() || !clock.instant().isBefore(deadline)) {
            return outcomes;
        }
        List<ProbeOutcome> again = runAll(slow.stream().map(specs::get).toList(), deadline);
        List<ProbeOutcome> confirmed = new ArrayList<>(outcomes);
        for (int k = 0; k < slow.size(); k++) {
            if (again.get(k) instanceof ProbeOutcome.Finished second) {
                ProbeResult first = ((ProbeOutcome.Finished) outcomes.get(slow.get(k))).result();
                confirmed.set(slow.get(k), new ProbeOutcome.Finished(afterSlowFirstTry(second.result(), first)));
            }
        }
        return confirmed;
    }

    private static ProbeResult afterSlowFirstTry(ProbeResult second, ProbeResult first) {
        return first.http() == null ? second : second.withNote(String.format(Locale.ROOT, " (a first try took %.1f s)",
                first.http().latency().toMillis() / 1000.0));
    }

    private List<ProbeOutcome> runAll(List<ProbeSpec> specs, Instant deadline) {
        Semaphore open = new Semaphore(openLimit);
        WorkSlots work = new WorkSlots(workSlots);
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>(specs.size());
        List<Integer> startOrder = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            results.add(new CompletableFuture<>());
            startOrder.add(i);
        }
        // Stable sort: targets without history keep the order given.
        startOrder.sort(Comparator.comparingLong((Integer i) -> lastNanos.getOrDefault(specs.get(i).url(), 0L))
                .reversed());
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        // One dispatcher takes the slots in start order, so targets really start in that order. A platform
        // thread: a virtual one would queue for a carrier behind the probes' handshakes.
        Thread dispatcher = Thread.ofPlatform().daemon().name("probe-dispatch").start(tracing.carry(() -> {
            try {
                long rank = 0;
                for (int i : startOrder) {
                    open.acquire();
                    ProbeSpec spec = specs.get(i);
                    CompletableFuture<ProbeResult> result = results.get(i);
                    SlotTurn turn = new SlotTurn(work, rank++);
                    workers.execute(tracing.carry(() -> probe(spec, result, open, turn)));
                }
            } catch (InterruptedException e) {
                // the run is over (deadline or interruption): start nothing more
            }
        }));
        List<ProbeOutcome> outcomes = new ArrayList<>(specs.size());
        try {
            for (int i = 0; i < specs.size(); i++) {
                ProbeOutcome outcome = await(specs.get(i), results.get(i), deadline);
                lastNanos.put(specs.get(i).url(), switch (outcome) {
                    case ProbeOutcome.Finished f -> f.result().elapsed().toNanos();
                    case ProbeOutcome.Unfinished u -> Long.MAX_VALUE;
                });
                outcomes.add(outcome);
            }
        } finally {
            // Unfinished probes are abandoned: stop dispatching and interrupt what still runs.
            dispatcher.interrupt();
            workers.shutdownNow();
        }
        return outcomes;
    }

    /** Runs one probe holding an open slot, and a work slot while it computes. */
    private void probe(ProbeSpec spec, CompletableFuture<ProbeResult> result, Semaphore open, SlotTurn turn) {
        try {
            result.complete(tracing.subsegment("probe " + spec.url().getHost(), span -> {
                span.annotate("domain", spec.url().getHost());
                ProbeResult probed = prober.probe(spec, turn);
                span.annotate("classification", probed.classification().name());
                return probed;
            }));
        } catch (InterruptedException | RuntimeException e) {
            result.completeExceptionally(e);
        } finally {
            turn.give();
            open.release();
        }
    }

    /** A turn backed by the run's work slots, ranked by when its probe started. Used by one probe's thread only. */
    private static final class SlotTurn implements WorkTurn {
        private final WorkSlots slots;
        private final long rank;
        private boolean held;
        private boolean opened;
        private long queuedNanos;

        SlotTurn(WorkSlots slots, long rank) {
            this.slots = slots;
            this.rank = rank;
        }

        @Override
        public void take() throws InterruptedIOException {
            if (held) {
                return;
            }
            long start = System.nanoTime();
            try {
                slots.acquire(rank, !opened);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a work slot");
            } finally {
                queuedNanos += System.nanoTime() - start;
            }
            held = true;
        }

        @Override
        public void give() {
            if (held) {
                held = false;
                opened = true;
                slots.release();
            }
        }

        @Override
        public long queuedNanos() {
            return queuedNanos;
        }
    }

    private ProbeOutcome await(ProbeSpec spec, CompletableFuture<ProbeResult> future, Instant deadline) {
        // Past the deadline a finished probe still counts; an unfinished one does not get more time.
        long left = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        try {
            return new ProbeOutcome.Finished(future.get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new ProbeOutcome.Unfinished(spec.url(), "not finished within the run's time budget");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException) {
                return new ProbeOutcome.Unfinished(spec.url(), "the run was interrupted");
            }
            return new ProbeOutcome.Unfinished(spec.url(), "the probe failed unexpectedly: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new ProbeOutcome.Unfinished(spec.url(), "the run was interrupted");
        }
    }
}
