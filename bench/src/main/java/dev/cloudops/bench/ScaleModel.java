package dev.cloudops.bench;

import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSpec;
import java.net.URI;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the two orchestration modes scale with the fleet. It first measures what one monitor invocation
 * takes to probe a shard, with the probe benchmark's targets (loopback HTTPS endpoints, one in ten silent
 * so that its 3 s connect timeout runs out, as a dead site's does), for several shard sizes, 3 runs each,
 * keeping the slowest; it picks the largest shard whose slowest run, times the safety factor, stays within
 * the shard budget. Then, for 1,000, 10,000 and 100,000 targets, it prints per mode: shards, child
 * invocations, the expected wall time of a run (waves of MaxConcurrency shards, each the measured shard time
 * plus the child start overhead), Lambda and Step Functions cost per run and per month at a 1-minute
 * schedule, and whether the run fits the schedule and Lambda's 15-minute limit (the monitor's own timeout is
 * 300 s). Prices are us-east-1 list prices (PRICES below); the figures are a model, not a bill.
 *
 * <p>Run: {@code java -Xmx256m -XX:+UseSerialGC -cp bench/target/bench.jar dev.cloudops.bench.ScaleModel [concurrency]}
 */
public final class ScaleModel {

    /** us-east-1 list prices: Lambda arm64, Step Functions Standard and Express (aws.amazon.com/lambda|step-functions/pricing). */
    static final double LAMBDA_PER_REQUEST = 0.20 / 1_000_000;
    static final double LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;
    static final double STANDARD_PER_TRANSITION = 0.025 / 1_000;
    static final double EXPRESS_PER_REQUEST = 1.00 / 1_000_000;
    static final double EXPRESS_PER_GB_SECOND = 0.00001667;
    /** The monitor's memory (template.yaml) and an Express child's billed memory (one 64 MB chunk). */
    static final double MONITOR_GB = 1.5;
    static final double EXPRESS_GB = 0.0625;
    /** Runs per month at a 1-minute schedule (30 days). */
    static final int RUNS_PER_MONTH = 30 * 24 * 60;
    /** Lambda's start of a child execution and its invocation, per wave (a conservative figure, not measured here). */
    static final double CHILD_OVERHEAD_SECONDS = 0.5;
    /** Real sites answer slower than loopback ones: a shard's measured time is multiplied by this for the budget. */
    static final double SAFETY_FACTOR = 3;
    /** What one shard may take, after the safety factor: half the 1-minute schedule, so two waves fit a period. */
    static final double SHARD_BUDGET_SECONDS = 30;
    static final double MONITOR_TIMEOUT_SECONDS = 300;
    static final int[] SHARD_SIZES = {100, 250, 500, 1000};
    static final int[] FLEETS = {1_000, 10_000, 100_000};
    static final int RUNS = 3;

    private ScaleModel() {
    }

    /** A measured shard: its size and its slowest wall time in seconds. */
    record Shard(int size, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Shard> measured = new ArrayList<>();
        try (Endpoints served = Endpoints.node(900, 100, false, Runtime.getRuntime().availableProcessors())) {
            Set<TrustAnchor> anchors = Set.of(new TrustAnchor(served.ca(), null));
            List<URI> all = ProbeBenchmark.interleave(served.answering(), served.silent());
            System.out.println(ProbeBenchmark.jvmSettings());
            System.out.printf(Locale.ROOT, "cores %d; shards of the probe benchmark's targets (1 in 10 silent, 3 s "
                    + "connect timeout), %d runs each, the slowest kept%n", Runtime.getRuntime().availableProcessors(), RUNS);
            probe(anchors, all); // warm-up (JIT), not counted
            for (int size : SHARD_SIZES) {
                double slowest = 0;
                StringBuilder runs = new StringBuilder();
                for (int run = 0; run < RUNS; run++) {
                    double seconds = probe(anchors, all.subList(0, size));
                    slowest = Math.max(slowest, seconds);
                    runs.append(String.format(Locale.ROOT, " %.2f", seconds));
                }
                measured.add(new Shard(size, slowest));
                System.out.printf(Locale.ROOT, "shard %5d targets: runs%s s, slowest %.2f s%n", size, runs, slowest);
            }
        }
        Shard chosen = choose(measured);
        System.out.printf(Locale.ROOT, "%nshard size: %d (slowest %.2f s x safety %.0f = %.1f s <= budget %.0f s)%n",
                chosen.size(), chosen.seconds(), SAFETY_FACTOR, chosen.seconds() * SAFETY_FACTOR, SHARD_BUDGET_SECONDS);
        Shard whole = measured.getLast();
        double perTarget = whole.seconds() / whole.size();
        System.out.printf(Locale.ROOT, "direct mode: one invocation probes the fleet at the %d-target shard's pace, "
                + "%.2f ms per target%nMaxConcurrency %d, child start overhead %.1f s per wave, prices of us-east-1%n%n",
                whole.size(), perTarget * 1000, concurrency, CHILD_OVERHEAD_SECONDS);
        System.out.println("targets  mode           shards  invocations  wall s   fits 1 min  fits timeout  "
                + "Lambda $/run  SFN $/run   $/month (1-min schedule)");
        for (int fleet : FLEETS) {
            for (Estimate e : List.of(direct(fleet, perTarget), stepFunctions(fleet, chosen, concurrency))) {
                System.out.printf(Locale.ROOT, "%7d  %-13s  %6d  %11d  %6.1f   %-10s  %-12s  %12.6f  %9.6f   %10.2f%n",
                        fleet, e.mode(), e.shards(), e.invocations(), e.wallSeconds(), e.wallSeconds() <= 60 ? "yes" : "NO",
                        e.wallSeconds() <= e.timeoutSeconds() ? "yes" : "NO", e.lambdaPerRun(), e.sfnPerRun(),
                        (e.lambdaPerRun() + e.sfnPerRun()) * RUNS_PER_MONTH);
            }
        }
        System.out.printf(Locale.ROOT, "%nalert workflow: about %d state transitions per alert that is approved and "
                + "verified = $%.5f per alert%n", ALERT_TRANSITIONS, ALERT_TRANSITIONS * STANDARD_PER_TRANSITION);
    }

    /** Transitions of one alert's workflow on its usual path (Analyse, Choice, Notify, Wait, PreChecks, Choice, Execute, Choice, Verify, Done) and its start. */
    static final int ALERT_TRANSITIONS = 11;

    /** One mode's figures for one fleet. */
    record Estimate(String mode, int shards, int invocations, double wallSeconds, double timeoutSeconds,
            double lambdaPerRun, double sfnPerRun) {
    }

    /** The largest measured shard whose slowest run, with the safety factor, fits the budget (the smallest otherwise). */
    static Shard choose(List<Shard> measured) {
        Shard best = measured.getFirst();
        for (Shard s : measured) {
            if (s.seconds() * SAFETY_FACTOR <= SHARD_BUDGET_SECONDS && s.size() > best.size()) {
                best = s;
            }
        }
        return best;
    }

    /** One scheduled invocation probes every target. */
    static Estimate direct(int fleet, double secondsPerTarget) {
        double wall = fleet * secondsPerTarget;
        double lambda = LAMBDA_PER_REQUEST + MONITOR_GB * wall * LAMBDA_ARM_PER_GB_SECOND;
        return new Estimate("direct", 1, 1, wall, MONITOR_TIMEOUT_SECONDS, lambda, 0);
    }

    /**
     * The Distributed Map: ceil(fleet / shard) shards run MaxConcurrency at a time, each an Express child
     * execution invoking the monitor once. Standard transitions counted: the run's start, the Map state, and
     * (conservatively) one per child started.
     */
    static Estimate stepFunctions(int fleet, Shard shard, int concurrency) {
        int shards = (fleet + shard.size() - 1) / shard.size();
        int waves = (shards + concurrency - 1) / concurrency;
        double wall = waves * (shard.seconds() + CHILD_OVERHEAD_SECONDS);
        double lambda = shards * (LAMBDA_PER_REQUEST + MONITOR_GB * shard.seconds() * LAMBDA_ARM_PER_GB_SECOND);
        double billedChildSeconds = Math.ceil(shard.seconds() * 10) / 10;
        double sfn = (2 + shards) * STANDARD_PER_TRANSITION
                + shards * (EXPRESS_PER_REQUEST + EXPRESS_GB * billedChildSeconds * EXPRESS_PER_GB_SECOND);
        // Each shard's invocation has the monitor's own timeout; the run as a whole has none.
        return new Estimate("stepfunctions", shards, shards, wall, Double.MAX_VALUE, lambda, sfn);
    }

    private static double probe(Set<TrustAnchor> anchors, List<URI> urls) {
        ProbeRunner runner = ProbeBenchmark.runner(anchors);
        List<ProbeSpec> specs = urls.stream().map(ProbeSpec::of).toList();
        long start = System.nanoTime();
        runner.run(specs, Instant.now().plus(Duration.ofMinutes(2)));
        return (System.nanoTime() - start) / 1e9;
    }
}
