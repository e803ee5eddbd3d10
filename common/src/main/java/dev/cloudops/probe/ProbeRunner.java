package dev.cloudops.probe;

import dev.cloudops.trace.Tracing;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>The run watches its own load ({@link OwnLoad}): while the peers' answers come slowly, it opens no
 * new handshakes. Once the rest of the run is done, within its budget, a PERFORMANCE verdict is
 * measured again, and so is a TIMEOUT during which the prober was under pressure; the second
 * measurement decides (a busy prober can be slow to see an answer that came in time). A timeout under
 * pressure that cannot be re-checked in time is reported unfinished, not as the site's failure.
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
    private final OwnLoad.Stall stall;
    private final Map<java.net.URI, Long> lastNanos = new ConcurrentHashMap<>();

    public ProbeRunner(Prober prober, int workSlots, int openLimit, Clock clock) {
        this(prober, workSlots, openLimit, clock, Tracing.NONE);
    }

    public ProbeRunner(Prober prober, int workSlots, int openLimit, Clock clock, Tracing tracing) {
        this(prober, workSlots, openLimit, clock, tracing, OwnLoad.Stall.NONE);
    }

    /** As above, with the prober's own scheduling held up as {@code stall} says (tests). */
    ProbeRunner(Prober prober, int workSlots, int openLimit, Clock clock, Tracing tracing, OwnLoad.Stall stall) {
        if (workSlots < 1 || openLimit < 1) {
            throw new IllegalArgumentException("need at least one work slot and one open probe, got " + workSlots
                    + " and " + openLimit);
        }
        this.prober = prober;
        this.workSlots = workSlots;
        this.openLimit = openLimit;
        this.clock = clock;
        this.tracing = tracing;
        this.stall = stall;
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

    public ProbeRun run(List<ProbeSpec> specs, Instant deadline) {
        return tracing.subsegment("probe", span -> {
            span.annotate("targets", specs.size());
            try (OwnLoad load = new OwnLoad(prober.connectTimeout(), stall)) {
                Pass first = runAll(specs, deadline, load);
                List<String> rechecked = new ArrayList<>();
                List<ProbeOutcome> outcomes = recheck(specs, first, deadline, load, rechecked);
                span.annotate("rechecked", rechecked.size());
                return new ProbeRun(outcomes, new ProbeRun.Load(rechecked, load.paced(), load.peakHandshakes(),
                        load.peakAnswer(), load.peakSchedulingDelay(), load.peakCpu()));
            }
        });
    }

    /** One pass over some targets: what each came to, and when (System.nanoTime) each was started. */
    private record Pass(List<ProbeOutcome> outcomes, long[] startedAt) {
    }

    /**
     * A slow answer or a timeout may be the prober's own doing: with hundreds of handshakes in flight,
     * a probe can wait for the CPU after its peer has answered. So once the rest of the run is done,
     * within the same budget, a PERFORMANCE verdict is measured again, and so is a TIMEOUT that began
     * while the prober was under pressure; the second measurement decides. A target slow twice stays
     * PERFORMANCE; one whose confirmation cannot finish in time keeps its first verdict, except a
     * timeout under pressure, which is then reported unfinished (neither up nor down this run).
     */
    private List<ProbeOutcome> recheck(List<ProbeSpec> specs, Pass first, Instant deadline, OwnLoad load,
            List<String> rechecked) {
        List<ProbeOutcome> outcomes = new ArrayList<>(first.outcomes());
        List<Integer> again = new ArrayList<>();
        Map<Integer, String> pressured = new HashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof ProbeOutcome.Finished f) {
                Classification c = f.result().classification();
                long started = first.startedAt()[i];
                String pressure = c == Classification.TIMEOUT
                        ? load.during(started, started + f.result().elapsed().toNanos()) : null;
                if (c == Classification.PERFORMANCE || pressure != null) {
                    again.add(i);
                }
                if (pressure != null) {
                    pressured.put(i, pressure);
                }
            }
        }
        if (again.isEmpty()) {
            return outcomes;
        }
        load.rechecking();
        List<ProbeOutcome> second = clock.instant().isBefore(deadline)
                ? runAll(again.stream().map(specs::get).toList(), deadline, load).outcomes()
                : again.stream().map(i -> (ProbeOutcome) new ProbeOutcome.Unfinished(specs.get(i).url(), "no time left"))
                        .toList();
        for (int k = 0; k < again.size(); k++) {
            int i = again.get(k);
            ProbeResult firstTry = ((ProbeOutcome.Finished) outcomes.get(i)).result();
            String pressure = pressured.get(i);
            if (pressure != null) {
                rechecked.add(firstTry.url() + ": timed out while " + pressure);
                outcomes.set(i, second.get(k) instanceof ProbeOutcome.Finished f
                        ? new ProbeOutcome.Finished(f.result().withNote(" (re-checked with the monitor idle: a first"
                                + " try timed out while " + pressure + ")"))
                        : new ProbeOutcome.Unfinished(firstTry.url(), "timed out while " + pressure
                                + ", and could not be re-checked within the run's time budget"));
            } else {
                rechecked.add(firstTry.url() + ": answered slowly (" + firstTry.details() + ")");
                if (second.get(k) instanceof ProbeOutcome.Finished f) {
                    outcomes.set(i, new ProbeOutcome.Finished(afterSlowFirstTry(f.result(), firstTry)));
                }
            }
        }
        return outcomes;
    }

    private static ProbeResult afterSlowFirstTry(ProbeResult second, ProbeResult first) {
        return first.http() == null ? second : second.withNote(String.format(Locale.ROOT, " (a first try took %.1f s)",
                first.http().latency().toMillis() / 1000.0));
    }

    private Pass runAll(List<ProbeSpec> specs, Instant deadline, OwnLoad load) {
        Semaphore open = new Semaphore(openLimit);
        WorkSlots work = new WorkSlots(workSlots);
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>(specs.size());
        List<Integer> startOrder = new ArrayList<>(specs.size());
        long[] startedAt = new long[specs.size()];
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
                    load.awaitPace();
                    ProbeSpec spec = specs.get(i);
                    CompletableFuture<ProbeResult> result = results.get(i);
                    SlotTurn turn = new SlotTurn(work, rank++, load);
                    startedAt[i] = System.nanoTime();
                    workers.execute(tracing.carry(() -> probe(spec, result, open, turn)));
                }
            } catch (InterruptedException | RejectedExecutionException e) {
                // the run is over (deadline or interruption): start nothing more. The workers may have been
                // shut down between taking a slot and starting its probe, which the interrupt cannot stop.
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
        // startedAt was written by the dispatcher before each probe started, and each finished probe's
        // result was read after it completed; an unfinished one's entry is not used.
        return new Pass(outcomes, startedAt);
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
        private final OwnLoad load;
        private boolean held;
        private boolean opened;
        private boolean handshaking;
        private long queuedNanos;

        SlotTurn(WorkSlots slots, long rank, OwnLoad load) {
            this.slots = slots;
            this.rank = rank;
            this.load = load;
        }

        @Override
        public void connecting() {
            handshaking = true;
            load.handshakeStarted();
        }

        @Override
        public void answered(long peerNanos) {
            if (handshaking) {
                handshaking = false;
                load.answered(peerNanos);
            }
        }

        @Override
        public void closing() {
            if (handshaking) {
                handshaking = false;
                load.unanswered();
            }
        }

        @Override
        public void woke() throws InterruptedIOException {
            try {
                load.woke();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
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
