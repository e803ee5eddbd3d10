package dev.cloudops.bench;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeOutcome;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.cloudops.testing.ShippedFunction;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Probe throughput on this machine: N answering loopback HTTPS endpoints (fresh handshake each) and M
 * silent ones ({@link Endpoints}, served by Node.js unless {@code -Dendpoints=jdk}), against a minimal
 * handshake loop over the same answering endpoints in the same run. Prints its figures; exits 1 if a
 * probe was misclassified. See docs/performance.md.
 *
 * <p>Run: {@code java -Xmx256m -XX:+UseSerialGC -cp bench/target/bench.jar dev.cloudops.bench.ProbeBenchmark
 * [answering] [silent] [rsa|ec]}
 */
public final class ProbeBenchmark {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    // The monitor's defaults (PROBE_CONCURRENCY, PROBE_MAX_OPEN).
    private static final int CONCURRENCY = Integer.getInteger("concurrency", ProbeRunner.defaultWorkSlots());
    private static final int MAX_OPEN = Integer.getInteger("maxOpen", 600);
    // The handshake loop's own parallelism (enough to keep both cores busy whatever the peers do).
    private static final int LOOP_PARALLELISM = Integer.getInteger("loopParallelism", 200);
    private static final int WARM_UP_ROUNDS = 3;
    // Who serves the endpoints: "node" (Node.js, OpenSSL; one process per processor unless
    // -DendpointProcesses= says otherwise) or "jdk" (one JVM, SSLServerSocket on virtual threads).
    private static final String ENDPOINTS = System.getProperty("endpoints", "node");
    private static final int ENDPOINT_PROCESSES = Integer.getInteger("endpointProcesses",
            Runtime.getRuntime().availableProcessors());

    private ProbeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int answering = args.length > 0 ? Integer.parseInt(args[0]) : 900;
        int silent = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String keys = args.length > 2 ? args[2] : "rsa";
        if (!ENDPOINTS.equals("node") && !ENDPOINTS.equals("jdk")) {
            System.err.println("-Dendpoints must be node or jdk, not '" + ENDPOINTS + "'");
            System.exit(2);
        }
        boolean correct;
        try (Endpoints served = ENDPOINTS.equals("jdk") ? Endpoints.jdk(answering, silent, keys.equals("ec"))
                : Endpoints.node(answering, silent, keys.equals("ec"), ENDPOINT_PROCESSES)) {
            System.out.println("endpoints: " + served.server() + ", certificates "
                    + (keys.equals("ec") ? "ECDSA P-256" : "RSA 2048"));
            endpoints = served;
            correct = run(served.ca(), served.answering(), served.silent());
        }
        if (!correct) {
            System.exit(1);
        }
    }

    /** The endpoint processes, whose CPU time each phase reports beside the prober's. */
    private static Endpoints endpoints;

    /** CPU time used so far by this process and by the endpoint processes, and this JVM's collections. */
    private record Cpu(long proberNanos, long endpointNanos, long collections, long collectionMillis) {

        static Cpu now() {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long collections = 0;
            long collectionMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                collections += gc.getCollectionCount();
                collectionMillis += gc.getCollectionTime();
            }
            return new Cpu(os.getProcessCpuTime(), endpoints.cpuNanos(), collections, collectionMillis);
        }

        String since(Cpu start) {
            return String.format(Locale.ROOT, "CPU: prober %d ms, endpoints %d ms; collections: %d taking %d ms",
                    (proberNanos - start.proberNanos) / 1_000_000, (endpointNanos - start.endpointNanos) / 1_000_000,
                    collections - start.collections, collectionMillis - start.collectionMillis);
        }
    }

    /** Runs every phase and prints its figures; false if a probe was misclassified. */
    private static boolean run(X509Certificate ca, List<URI> up, List<URI> quiet) throws Exception {
        Set<TrustAnchor> anchors = Set.of(new TrustAnchor(ca, null));
        List<URI> all = interleave(up, quiet);
        System.out.println(jvmSettings());
        System.out.printf(Locale.ROOT, "cores %d, max heap %d MB, work slots %d, open %d, connect timeout %d s, "
                + "handshake loop parallelism %d%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, CONCURRENCY, MAX_OPEN, CONNECT_TIMEOUT.toSeconds(),
                LOOP_PARALLELISM);

        // Warm-up (JIT, both processes) on fresh clients, whose TLS sessions are thrown away with them.
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            handshakeLoop(ca, up);
            probe(runner(anchors), all);
        }

        Loop loop1 = handshakeLoop(ca, up);
        Measured answeringOnly = probe(runner(anchors), up);
        ProbeRunner monitor = runner(anchors);
        resetPeaks();
        Measured cold = probe(monitor, all);
        Thread.sleep(1_500); // the prober's TLS sessions expire after 1 s: the next run handshakes afresh
        Measured warm = probe(monitor, all);
        long heapPeak = peakHeap();
        Loop loop2 = handshakeLoop(ca, up);
        long baseline1 = loop1.millis();
        long baseline2 = loop2.millis();
        long baseline = Math.min(baseline1, baseline2);

        Map<Classification, Long> classes = classes(warm);
        Map<Classification, Long> coldClasses = classes(cold);
        long unfinished = warm.outcomes.stream().filter(o -> o instanceof ProbeOutcome.Unfinished).count()
                + cold.outcomes.stream().filter(o -> o instanceof ProbeOutcome.Unfinished).count();
        double ratio = (double) answeringOnly.millis / baseline;

        System.out.printf(Locale.ROOT, "minimal handshake loop, %d endpoints: %d ms (runs: %d ms, %d ms)%n",
                up.size(), baseline, baseline1, baseline2);
        System.out.println("    loop runs " + loop1.cpu() + "; " + loop2.cpu());
        System.out.printf(Locale.ROOT, "prober, %d answering endpoints:      %d ms (%.2fx the handshake loop; target <= 1.5x)%n",
                up.size(), answeringOnly.millis, ratio);
        System.out.println("    " + answeringOnly.cpu());
        System.out.printf(Locale.ROOT, "prober, all %d, first run:          %d ms (no history: silent ones start where listed; target <= 5000 ms)%n",
                all.size(), cold.millis);
        System.out.println("    " + cold.cpu());
        System.out.printf(Locale.ROOT, "prober, all %d, next run:           %d ms (target <= 5000 ms)%n",
                all.size(), warm.millis);
        System.out.println("    " + warm.cpu());
        System.out.printf(Locale.ROOT, "time the %d silent endpoints added: %d ms first run, %d ms next run (target <= one "
                + "connect timeout, %d ms)%n", quiet.size(), cold.millis - answeringOnly.millis,
                warm.millis - answeringOnly.millis, CONNECT_TIMEOUT.toMillis());
        System.out.printf(Locale.ROOT, "peak heap during both full runs:    %d MB (target <= 256 MB)%n", heapPeak >> 20);
        System.out.printf(Locale.ROOT, "classifications: next run %s, first run %s, unfinished: %d%n", classes,
                coldClasses, unfinished);

        boolean correct = classes.equals(coldClasses) && unfinished == 0
                && classes.getOrDefault(Classification.HEALTHY, 0L) == up.size()
                && classes.getOrDefault(Classification.TIMEOUT, 0L) == quiet.size();
        if (!correct) {
            for (Measured m : List.of(cold, warm)) {
                m.outcomes().stream().filter(o -> o instanceof ProbeOutcome.Finished f
                                && !(f.result().classification() == Classification.HEALTHY
                                || f.result().classification() == Classification.TIMEOUT && quiet.contains(f.result().url())))
                        .limit(5)
                        .forEach(o -> System.out.println("    wrong: " + ((ProbeOutcome.Finished) o).result().details()));
            }
            System.out.println("FAILED: expected " + up.size() + " HEALTHY and " + quiet.size() + " TIMEOUT");
        }
        return correct;
    }

    /**
     * The collector and compilers of this JVM, checked against the monitor's deployed flags (the template's
     * JAVA_TOOL_OPTIONS): with C1 only the handshakes cost about 70 % more CPU, and a different collector
     * pauses differently, so figures taken otherwise are not the monitor's.
     */
    static String jvmSettings() {
        var hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<String> monitor = ShippedFunction.jvmFlags("dev.cloudops.monitor.MonitorHandler");
        List<String> differing = new ArrayList<>();
        for (String flag : monitor) {
            Matcher m = XX_FLAG.matcher(flag);
            if (m.matches()) {
                boolean bool = m.group(2) != null;
                String name = bool ? m.group(2) : m.group(3);
                String wanted = bool ? String.valueOf(m.group(1).equals("+")) : m.group(4);
                if (!hotspot.getVMOption(name).getValue().equals(wanted)) {
                    differing.add(name + "=" + hotspot.getVMOption(name).getValue());
                }
            }
        }
        String stopAt = hotspot.getVMOption("TieredStopAtLevel").getValue();
        if (!stopAt.equals("4")) {
            differing.add("TieredStopAtLevel=" + stopAt);
        }
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(" + "));
        String settings = "JVM " + System.getProperty("java.vm.version") + ", collectors " + collectors
                + ", compilers " + (stopAt.equals("4") ? "C1 and C2" : "up to tier " + stopAt);
        return differing.isEmpty() ? settings + " (the monitor's flags " + monitor + ")"
                : settings + "\nWARNING: not the monitor's JVM settings (" + String.join(", ", differing)
                        + "); run with " + monitor + " as docs/performance.md says";
    }

    private static final Pattern XX_FLAG = Pattern.compile("-XX:(?:([+-])(\\w+)|(\\w+)=(.*))");

    private record Measured(long millis, List<ProbeOutcome> outcomes, String cpu) {
    }

    private static Map<Classification, Long> classes(Measured run) {
        return run.outcomes.stream()
                .filter(o -> o instanceof ProbeOutcome.Finished)
                .collect(Collectors.groupingBy(o -> ((ProbeOutcome.Finished) o).result().classification(),
                        () -> new java.util.EnumMap<>(Classification.class), Collectors.counting()));
    }

    /** A runner as the monitor builds it, with a fresh prober (no TLS sessions, no history). */
    static ProbeRunner runner(Set<TrustAnchor> anchors) {
        ProbeSettings settings = new ProbeSettings(List.of(new InetSocketAddress("127.0.0.1", 53)),
                Duration.ofSeconds(1), CONNECT_TIMEOUT, Duration.ofSeconds(10), 64 * 1024, anchors);
        return new ProbeRunner(Prober.create(settings, Clock.systemUTC()), CONCURRENCY, MAX_OPEN,
                Clock.systemUTC());
    }

    private static Measured probe(ProbeRunner runner, List<URI> urls) {
        List<ProbeSpec> specs = urls.stream().map(ProbeSpec::of).toList();
        Cpu cpu = Cpu.now();
        Instant begun = Instant.now();
        long start = System.nanoTime();
        List<ProbeOutcome> outcomes = runner.run(specs, Instant.now().plus(Duration.ofMinutes(2))).outcomes();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Measured(millis, outcomes, Cpu.now().since(cpu) + "; " + timeline(begun, outcomes));
    }

    /**
     * When the last probe started, when the last answering and the last silent one ended, and how many
     * slow first tries were measured again (their second try decided).
     */
    private static String timeline(Instant begun, List<ProbeOutcome> outcomes) {
        long lastStart = 0;
        long lastTimeout = 0;
        long lastOther = 0;
        for (ProbeOutcome o : outcomes) {
            if (o instanceof ProbeOutcome.Finished f) {
                ProbeResult r = f.result();
                long started = Duration.between(begun, r.checkedAt()).toMillis();
                long ended = started + r.elapsed().toMillis();
                lastStart = Math.max(lastStart, started);
                if (r.classification() == Classification.TIMEOUT) {
                    lastTimeout = Math.max(lastTimeout, ended);
                } else {
                    lastOther = Math.max(lastOther, ended);
                }
            }
        }
        long slowFirstTries = outcomes.stream()
                .filter(o -> o instanceof ProbeOutcome.Finished f && f.result().details().contains("(a first try took"))
                .count();
        return String.format(Locale.ROOT, "last start %d ms, last answer %d ms, last timeout %d ms; slow first tries "
                + "measured again: %d", lastStart, lastOther, lastTimeout, slowFirstTries);
    }

    /** The CPU limit: connect, full handshake with chain validation, close — nothing else. */
    private record Loop(long millis, String cpu) {
    }

    private static Loop handshakeLoop(X509Certificate ca, List<URI> urls) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        var factory = context.getSocketFactory();
        Semaphore permits = new Semaphore(LOOP_PARALLELISM);
        Cpu cpu = Cpu.now();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (URI url : urls) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
                        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()),
                                (int) CONNECT_TIMEOUT.toMillis());
                        socket.startHandshake();
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Loop(millis, Cpu.now().since(cpu));
    }

    static List<URI> interleave(List<URI> up, List<URI> quiet) {
        List<URI> all = new ArrayList<>(up.size() + quiet.size());
        int every = quiet.isEmpty() ? Integer.MAX_VALUE : Math.max(1, (up.size() + quiet.size()) / quiet.size());
        int u = 0;
        int q = 0;
        while (u < up.size() || q < quiet.size()) {
            if (q < quiet.size() && (all.size() % every == every - 1 || u >= up.size())) {
                all.add(quiet.get(q++));
            } else {
                all.add(up.get(u++));
            }
        }
        return all;
    }

    static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
    static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }
}
