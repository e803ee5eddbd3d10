package dev.cloudops.monitor.probe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes many targets at once on virtual threads, at most {@code concurrency} at a time, and returns
 * by the deadline whatever happens: targets not finished by then are reported as unfinished, in the
 * order they were given, never dropped.
 */
public final class ProbeRunner {

    private final Prober prober;
    private final int concurrency;
    private final Clock clock;

    public ProbeRunner(Prober prober, int concurrency, Clock clock) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.prober = prober;
        this.concurrency = concurrency;
        this.clock = clock;
    }

    public List<ProbeOutcome> run(List<ProbeSpec> specs, Instant deadline) {
        Semaphore permits = new Semaphore(concurrency);
        List<Future<ProbeResult>> futures = new ArrayList<>(specs.size());
        List<ProbeOutcome> outcomes = new ArrayList<>(specs.size());
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (ProbeSpec spec : specs) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return prober.probe(spec);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (int i = 0; i < specs.size(); i++) {
                outcomes.add(await(specs.get(i), futures.get(i), deadline));
            }
        } finally {
            // Unfinished probes were cancelled above; do not wait for their threads to notice.
            executor.shutdownNow();
        }
        return outcomes;
    }

    private ProbeOutcome await(ProbeSpec spec, Future<ProbeResult> future, Instant deadline) {
        // Past the deadline a finished probe still counts; an unfinished one does not get more time.
        long left = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        try {
            return new ProbeOutcome.Finished(future.get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new ProbeOutcome.Unfinished(spec.url(), "not finished within the run's time budget");
        } catch (ExecutionException e) {
            return new ProbeOutcome.Unfinished(spec.url(), "the probe failed unexpectedly: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new ProbeOutcome.Unfinished(spec.url(), "the run was interrupted");
        }
    }
}
