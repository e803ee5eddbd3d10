package dev.cloudops.bench;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeOutcome;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeRun;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSpec;
import java.net.URI;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the prober ever blames a healthy site for its own slowness: {@code runs} runs (default 20) of
 * the probe benchmark's targets (900 answering loopback HTTPS endpoints, 100 silent, 3 s connect
 * timeout), every second one with a CPU hog of two busy threads started beside the prober. Prints per
 * run the wall time, the healthy endpoints classified as anything but HEALTHY (target 0), the silent ones
 * classified TIMEOUT (target all), how many results were re-checked, how long new handshakes were held
 * back, and the peak heap; exits 1 if a healthy endpoint was ever misclassified. See docs/performance.md.
 *
 * <p>Run: {@code java -Xmx256m -XX:+UseSerialGC -cp bench/target/bench.jar dev.cloudops.bench.ProbeLoadBenchmark [runs]}
 */
public final class ProbeLoadBenchmark {

    private static final int HOG_THREADS = 2;

    private ProbeLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int misclassified = 0;
        long slowestCalm = 0;
        try (Endpoints served = Endpoints.node(900, 100, false, Runtime.getRuntime().availableProcessors())) {
            Set<TrustAnchor> anchors = Set.of(new TrustAnchor(served.ca(), null));
            Set<URI> up = new HashSet<>(served.answering());
            List<URI> all = ProbeBenchmark.interleave(served.answering(), served.silent());
            System.out.println(ProbeBenchmark.jvmSettings());
            System.out.printf(Locale.ROOT, "cores %d, %d answering + %d silent endpoints (%s), %d runs, every second "
                    + "one with %d busy threads beside the prober%n", Runtime.getRuntime().availableProcessors(),
                    served.answering().size(), served.silent().size(), served.server(), runs, HOG_THREADS);
            // Warm-up (JIT), not counted.
            ProbeBenchmark.runner(anchors).run(specs(all), Instant.now().plus(Duration.ofMinutes(2)));
            System.out.println("run  hog  wall ms  healthy misclassified  unfinished  silent TIMEOUT  re-checked  "
                    + "paced ms  peak sched delay ms  peak heap MB");
            for (int run = 1; run <= runs; run++) {
                boolean hog = run % 2 == 0;
                ProbeRunner runner = ProbeBenchmark.runner(anchors);
                ProbeBenchmark.resetPeaks();
                AtomicBoolean hogging = new AtomicBoolean(hog);
                List<Thread> hogs = hog ? startHog(hogging) : List.of();
                long start = System.nanoTime();
                ProbeRun result;
                try {
                    result = runner.run(specs(all), Instant.now().plus(Duration.ofMinutes(2)));
                } finally {
                    hogging.set(false);
                    for (Thread t : hogs) {
                        t.join();
                    }
                }
                long wall = (System.nanoTime() - start) / 1_000_000;
                int wrong = 0;
                int unfinished = 0;
                int silentTimeouts = 0;
                for (ProbeOutcome o : result.outcomes()) {
                    if (o instanceof ProbeOutcome.Finished f) {
                        ProbeResult r = f.result();
                        if (up.contains(r.url()) && r.classification() != Classification.HEALTHY) {
                            wrong++;
                            if (wrong <= 3) {
                                System.out.println("    misclassified: " + r.url() + " " + r.classification() + ": "
                                        + r.details());
                            }
                        } else if (!up.contains(r.url()) && r.classification() == Classification.TIMEOUT) {
                            silentTimeouts++;
                        }
                    } else {
                        unfinished++;
                    }
                }
                misclassified += wrong;
                if (!hog) {
                    slowestCalm = Math.max(slowestCalm, wall);
                }
                System.out.printf(Locale.ROOT, "%3d  %-3s  %7d  %21d  %10d  %14d  %10d  %8d  %19d  %12d%n", run,
                        hog ? "yes" : "no", wall, wrong, unfinished, silentTimeouts, result.load().rechecked().size(),
                        result.load().paced().toMillis(), result.load().peakSchedulingDelay().toMillis(),
                        ProbeBenchmark.peakHeap() >> 20);
            }
        }
        System.out.printf(Locale.ROOT, "healthy endpoints misclassified in all runs: %d (target 0); slowest run without "
                + "the hog: %d ms (target <= 5000 ms)%n", misclassified, slowestCalm);
        if (misclassified > 0) {
            System.exit(1);
        }
    }

    private static List<ProbeSpec> specs(List<URI> urls) {
        return urls.stream().map(ProbeSpec::of).toList();
    }

    /** Two platform threads that keep a core each busy until told to stop. */
    private static List<Thread> startHog(AtomicBoolean hogging) {
        return java.util.stream.IntStream.range(0, HOG_THREADS).mapToObj(i -> Thread.ofPlatform().name("hog-" + i)
                .start(() -> {
                    long x = 0;
                    while (hogging.get()) {
                        x += System.nanoTime() % 7;
                    }
                    if (x == 42) {
                        System.out.print("");
                    }
                })).toList();
    }
}
