package dev.cloudops.probe;

import dev.cloudops.trace.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Probes many targets at once on virtual threads and returns by the deadline whatever happens:
 * targets not finished by then are reported as unfinished, in the order given, never dropped.
 *
 * <p>Two bounds: at most {@code activeLimit} probes work at once (handshakes are CPU-bound, and more
 * at once would only inflate the latencies measured), and at most {@code openLimit} are in flight at
 * all (sockets and file descriptors). A probe still unfinished after {@code stallAfter} is waiting on
 * a silent peer, not working: it gives its active slot to the next target and keeps only its open
 * slot, so silent targets overlap instead of queueing behind each other.
 *
 * <p>Targets start longest-first by how long each took in this runner's previous run (a warm Lambda
 * container keeps it), so the ones that hung last time start at once and overlap each other instead
 * of finishing a timeout after everything else. Results are still returned in the order given.
 *
 * <p>Traced, a run is a {@code probe} subsegment with one {@code probe <host>} subsegment per target.
 */
public final class ProbeRunner {

    private final Prober prober;
    private final int activeLimit;
    private final int openLimit;
    private final Duration stallAfter;
    private final Clock clock;
    private final Tracing tracing;
    private final Map<java.net.URI, Long> lastNanos = new ConcurrentHashMap<>();

    public ProbeRunner(Prober prober, int activeLimit, int openLimit, Duration stallAfter, Clock clock) {
        this(prober, activeLimit, openLimit, stallAfter, clock, Tracing.NONE);
    }

    public ProbeRunner(Prober prober, int activeLimit, int openLimit, Duration stallAfter, Clock clock,
            Tracing tracing) {
        if (activeLimit < 1 || openLimit < activeLimit) {
            throw new IllegalArgumentException("need 1 <= activeLimit <= openLimit, got " + activeLimit + " and "
                    + openLimit);
        }
        this.prober = prober;
        this.activeLimit = activeLimit;
        this.openLimit = openLimit;
        this.stallAfter = stallAfter;
        this.clock = clock;
        this.tracing = tracing;
    }

    public List<ProbeOutcome> run(List<ProbeSpec> specs, Instant deadline) {
        return tracing.subsegment("probe", span -> {
            span.annotate("targets", specs.size());
            return runAll(specs, deadline);
        });
    }

    private List<ProbeOutcome> runAll(List<ProbeSpec> specs, Instant deadline) {
        Semaphore open = new Semaphore(openLimit);
        Semaphore active = new Semaphore(activeLimit);
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>(specs.size());
        List<Integer> startOrder = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            results.add(new CompletableFuture<>());
            startOrder.add(i);
        }
        // Stable sort: targets without history keep the order given.
        startOrder.sort(Comparator.comparingLong((Integer i) -> lastNanos.getOrDefault(specs.get(i).url(), 0L))
                .reversed());
        ScheduledThreadPoolExecutor watchdogs = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
                .name("probe-stall-watch").factory());
        watchdogs.setRemoveOnCancelPolicy(true);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        // One dispatcher takes the slots in start order, so targets really start in that order.
        Thread dispatcher = Thread.ofVirtual().name("probe-dispatch").start(tracing.carry(() -> {
            try {
                for (int i : startOrder) {
                    open.acquire();
                    active.acquire();
                    ProbeSpec spec = specs.get(i);
                    CompletableFuture<ProbeResult> result = results.get(i);
                    workers.execute(tracing.carry(() -> probe(spec, result, open, active, watchdogs)));
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
            watchdogs.shutdownNow();
        }
        return outcomes;
    }

    /** Runs one probe holding an open and an active slot; the active one is given up if it stalls. */
    private void probe(ProbeSpec spec, CompletableFuture<ProbeResult> result, Semaphore open, Semaphore active,
            ScheduledExecutorService watchdogs) {
        AtomicBoolean working = new AtomicBoolean(true);
        Runnable yieldSlot = () -> {
            if (working.compareAndSet(true, false)) {
                active.release();
            }
        };
        Future<?> watchdog = watchdogs.schedule(yieldSlot, stallAfter.toNanos(), TimeUnit.NANOSECONDS);
        try {
            result.complete(tracing.subsegment("probe " + spec.url().getHost(), span -> {
                span.annotate("domain", spec.url().getHost());
                ProbeResult probed = prober.probe(spec);
                span.annotate("classification", probed.classification().name());
                return probed;
            }));
        } catch (InterruptedException | RuntimeException e) {
            result.completeExceptionally(e);
        } finally {
            watchdog.cancel(false);
            yieldSlot.run();
            open.release();
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
