package dev.cloudops.bench;

import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.EmulatedAccount;
import dev.cloudops.testing.S3Emulator;
import dev.cloudops.testing.ShippedFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of each function, measured as a process on this machine (issue 9): the shaded jar's size,
 * and the time from JVM start to the handler constructed (configuration read, SDK clients built; the
 * signing secret answered by a loopback stand-in, no other network), p50/p95 over 20 runs each, side by
 * side with a hello-world handler in the same run. JVM flags and variables as the template sets them by
 * default. Three figures per function: the constructor alone; with every SDK client built (the parts a
 * function builds on first use counted in, as its SnapStart priming reports building them); and INIT
 * with SnapStart priming (the handler's beforeCheckpoint hooks, run as Lambda runs them before the
 * snapshot). Also the afterRestore hooks' time and the process CPU time at the end of the constructor.
 *
 * <p>Then the two ratios of issue 21, in the same run:
 * <ul>
 *   <li><b>INIT against its fair peer</b>: {@link ReferenceHandler}, a handler that only builds the SDK
 *   clients the function holds after its constructor (and, second, after its priming: every client),
 *   with the same HTTP client, credentials chain and regions, run from the function's own jar with the
 *   same JVM flags, interleaved with the functions. Target: constructor p50 &le; 1.3 &times; the
 *   reference's.</li>
 *   <li><b>The first invocation after a restore against a warm one</b>: each function's shipped jar in
 *   its own JVM against the emulated account of {@code ShippedJarsIT} (dynalite, s3proxy, WireMock), its
 *   SnapStart hooks run (every beforeCheckpoint, then every afterRestore, through the CRaC stand-in), then
 *   one realistic event, then the same event {@code WARM} times more, each with the same work to do: the
 *   monitor's scheduled run over a healthy site (what every tick does), the review page of one alert,
 *   and an approved two-step plan on a fresh alert each time (a second execute message for one alert is
 *   refused by design). Target: first &le; 3 &times; the warm median.</li>
 * </ul>
 *
 * <p>Needs node (dynalite). The emulators cannot ship in bench.jar, so it runs from this module's test
 * classpath after a build of every module: {@code scripts/jdk21 ./mvnw -B -DskipTests -Pcold-start verify
 * [-Dcold-start.runs=20]}.
 */
public final class ColdStartBenchmark {

    private static final int RUNS = 20;
    /** What {@code SnapStartHooks} logs of the parts built on first use. */
    private static final Pattern DEFERRED = Pattern.compile("deferred SDK clients built in (\\d+) ms");
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/key-AbCdEf";

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int runCount = args.length > 1 ? Integer.parseInt(args[1]) : RUNS;
        HttpServer secrets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secrets.createContext("/", exchange -> {
            byte[] body = ("{\"ARN\":\"" + SECRET_ARN + "\",\"Name\":\"cloudops/key\",\"SecretString\":\""
                    + "0123456789abcdef0123456789abcdef0123456789\",\"VersionId\":\"v1\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        secrets.start();
        Path timer = Files.createTempDirectory("cloudops-init-");
        for (String c : List.of("InitTimer", "HelloHandler", "BuiltClients", "ReferenceHandler", "crac/Core", "crac/Context", "crac/Resource",
                "crac/CheckpointException", "crac/RestoreException")) {
            copy("dev/cloudops/bench/" + c + ".class", timer);
        }
        for (String c : List.of("RequestHandler", "Context", "LambdaLogger", "CognitoIdentity", "ClientContext", "Client")) {
            copy("com/amazonaws/services/lambda/runtime/" + c + ".class", timer);
        }
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + secrets.getAddress().getPort());
        env.put("ALERTS_TABLE", "cloudops-alerts");
        env.put("CONTROL_TABLE", "cloudops-control");
        env.put("ARTIFACTS_BUCKET", "cloudops-artifacts");
        env.put("TARGETS", "targets:\n  - url: https://www.example.com/\n");
        env.put("DNS_RESOLVERS", "127.0.0.1");
        env.put("EXECUTE_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-execute");
        env.put("REVIEW_SIGNING_SECRET_ARN", SECRET_ARN);
        env.put("EXECUTOR_ROLE_ARN", "arn:aws:iam::123456789012:role/cloudops-execution");
        // Set by the template for every function whatever its parameters: the audit log and the review links.
        env.put("AUDIT_LOG_GROUP", "/aws/cloudops-agent/audit");
        env.put("REVIEW_BASE_URL", "https://abc123def4.execute-api.eu-west-1.amazonaws.com");

        record Subject(String name, Path classpath, String handler) {
        }
        List<Subject> subjects = List.of(
                new Subject("hello-world", timer, "dev.cloudops.bench.HelloHandler"),
                new Subject("monitor", root.resolve("monitor-lambda/target/monitor-lambda.jar"),
                        "dev.cloudops.monitor.MonitorHandler"),
                new Subject("approval", root.resolve("approval-lambda/target/approval-lambda.jar"),
                        "dev.cloudops.approval.ApprovalHandler"),
                new Subject("execution", root.resolve("execution-lambda/target/execution-lambda.jar"),
                        "dev.cloudops.execution.ExecutionHandler"));
        // The clients each function holds after its constructor and after its priming (one run, not counted).
        Map<String, Run> probe = new HashMap<>();
        for (Subject s : subjects.subList(1, subjects.size())) {
            probe.put(s.name(), init(timer + java.io.File.pathSeparator + s.classpath(), s.handler(), List.of(), env));
        }
        record Reference(String name, Subject of, List<String> flags) {
        }
        List<Reference> references = new ArrayList<>();
        for (Subject s : subjects.subList(1, subjects.size())) {
            List<String> flags = new ArrayList<>(ShippedFunction.jvmFlags(s.handler()));
            flags.add("-Dreference.clients=" + String.join(",", probe.get(s.name()).constructorClients()));
            references.add(new Reference(s.name() + " ref", s, flags));
            List<String> all = new ArrayList<>(ShippedFunction.jvmFlags(s.handler()));
            all.add("-Dreference.clients=" + String.join(",", probe.get(s.name()).primedClients()));
            references.add(new Reference(s.name() + " ref all", s, all));
        }
        Map<String, List<Run>> runs = new HashMap<>();
        for (int run = 0; run < runCount; run++) {
            for (Subject s : subjects) { // interleaved, so the machine's noise falls on all alike
                String cp = s.classpath().equals(timer) ? timer.toString() : timer + java.io.File.pathSeparator + s.classpath();
                runs.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(init(cp, s.handler(), List.of(), env));
            }
            for (Reference r : references) {
                runs.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(init(timer + java.io.File.pathSeparator
                        + r.of().classpath(), REFERENCE, r.flags(), env));
            }
        }
        secrets.stop(0);
        long hello = percentile(runs.get("hello-world"), Run::init, 50);
        System.out.printf("%-11s %6s | %-26s | %-26s | %-17s | %-11s | %s%n", "", "", "init: constructor",
                "init: all SDK clients built", "init + priming", "afterRestore", "init CPU");
        System.out.printf("%-11s %6s | %7s %7s %10s | %7s %7s %10s | %7s %7s   | %11s | %8s%n", "function", "jar MB",
                "p50", "p95", "x hello", "p50", "p95", "x hello", "p50", "p95", "p50", "p50");
        for (Subject s : subjects) {
            List<Run> r = runs.get(s.name());
            double mb = s.classpath().equals(timer) ? 0 : Files.size(s.classpath()) / 1048576.0;
            long init = percentile(r, Run::init, 50);
            long all = percentile(r, Run::allClients, 50);
            System.out.printf("%-11s %6.1f | %4d ms %4d ms %10.2f | %4d ms %4d ms %10.2f | %4d ms %4d ms | %8d ms | %5d ms%n",
                    s.name(), mb, init, percentile(r, Run::init, 95), (double) init / hello, all,
                    percentile(r, Run::allClients, 95), (double) all / hello, percentile(r, Run::primed, 50),
                    percentile(r, Run::primed, 95), percentile(r, Run::restore, 50), percentile(r, Run::cpu, 50));
        }

        System.out.println();
        System.out.println("INIT without SnapStart against a handler that only builds the same SDK clients (ReferenceHandler,");
        System.out.println("same jar, HTTP client, credentials chain, regions and JVM flags); target: constructor p50 <= 1.3x");
        System.out.printf("%-10s | %-44s | %9s %9s | %7s %7s | %9s %9s | %7s%n", "function", "clients after the constructor",
                "ctor p50", "ref p50", "ratio", "CPU x", "all p50", "ref p50", "ratio");
        for (Subject s : subjects.subList(1, subjects.size())) {
            List<Run> f = runs.get(s.name());
            List<Run> ref = runs.get(s.name() + " ref");
            List<Run> refAll = runs.get(s.name() + " ref all");
            long ctor = percentile(f, Run::init, 50);
            long refInit = percentile(ref, Run::init, 50);
            long all = percentile(f, Run::allClients, 50);
            long refAllInit = percentile(refAll, Run::init, 50);
            System.out.printf("%-10s | %-44s | %6d ms %6d ms | %7.2f %7.2f | %6d ms %6d ms | %7.2f%n", s.name(),
                    shortNames(probe.get(s.name()).constructorClients()), ctor, refInit, (double) ctor / refInit,
                    (double) percentile(f, Run::cpu, 50) / percentile(ref, Run::cpu, 50), all, refAllInit,
                    (double) all / refAllInit);
        }
        System.out.println("  (all: every client built, after priming: " + subjects.subList(1, subjects.size()).stream()
                .map(s -> s.name() + " " + shortNames(probe.get(s.name()).primedClients())).toList() + ")");

        System.out.println();
        firstInvocationAfterRestore(root, timer, Math.max(3, runCount / 4));
    }

    /** The reference handler's class: builds only the SDK clients named in -Dreference.clients. */
    private static final String REFERENCE = "dev.cloudops.bench.ReferenceHandler";

    /** Warm invocations per JVM after the first; their median is the warm figure of that JVM. */
    private static final int WARM = 5;

    private record Invocable(String name, String module, String handler,
            Function<EmulatedAccount, Map<String, String>> env, Function<EmulatedAccount, Supplier<byte[]>> events,
            BiConsumer<EmulatedAccount, JsonNode> check) {
    }

    /**
     * Per function, {@code runs} fresh JVMs of the shipped jar: the SnapStart hooks (beforeCheckpoint,
     * afterRestore), then the first invocation, then {@link #WARM} more with the same work. Prints the
     * first invocation's and the warm median's p50 over the JVMs, and their ratio (target &le; 3).
     */
    private static void firstInvocationAfterRestore(Path root, Path crac, int runs) throws Exception {
        List<Invocable> functions = List.of(
                new Invocable("monitor", "monitor-lambda", "dev.cloudops.monitor.MonitorHandler",
                        EmulatedAccount::monitorEnvironment, a -> {
                            byte[] event = EventFiles.read(root, "monitor-lambda", "scheduled-event.json", Map.of());
                            return () -> {
                                a.reset(true);
                                return event;
                            };
                        }, (a, out) -> require(out.at("/0/targets/0/classification").asText().equals("HEALTHY"), out)),
                new Invocable("approval", "approval-lambda", "dev.cloudops.approval.ApprovalHandler",
                        EmulatedAccount::approvalEnvironment, a -> {
                            Alert alert = a.pendingAlert();
                            byte[] event = EventFiles.read(root, "approval-lambda", "get-review.json",
                                    Map.of("ALERT_ID", alert.alertId(), "TOKEN", a.reviewToken(alert.alertId())));
                            return () -> event;
                        }, (a, out) -> require(out.path("statusCode").asInt() == 200, out)),
                new Invocable("execution", "execution-lambda", "dev.cloudops.execution.ExecutionHandler",
                        EmulatedAccount::executionEnvironment, a -> () -> {
                            a.reset(false);
                            Alert alert = a.approvedAlert();
                            String message = "{\"alert_id\":\"" + alert.alertId() + "\",\"plan_hash\":\""
                                    + alert.planHash() + "\"}";
                            return EventFiles.read(root, "execution-lambda", "sns-execute.json",
                                    Map.of("MESSAGE", message.replace("\"", "\\\""), "ALERT_ID", alert.alertId()));
                        }, (a, out) -> require(out.at("/0/outcome").asText().equals("COMPLETED"), out)));
        Map<String, List<Long>> first = new LinkedHashMap<>();
        Map<String, List<Long>> warm = new LinkedHashMap<>();
        Map<String, List<Long>> hooks = new LinkedHashMap<>();
        try (Dynalite dynalite = Dynalite.start(); S3Emulator s3 = S3Emulator.start()) {
            for (int run = 0; run < runs; run++) {
                for (Invocable f : functions) { // interleaved
                    try (EmulatedAccount account = new EmulatedAccount(dynalite, s3)) {
                        Supplier<byte[]> events = f.events().apply(account);
                        try (ShippedFunction fn = ShippedFunction.start(root.resolve(f.module()).resolve("target")
                                .resolve(f.module() + ".jar"), f.handler(), f.env().apply(account), List.of(crac),
                                List.of("-Dorg.crac.Core.Compat=dev.cloudops.bench.crac"))) {
                            hooks.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(fn.checkpointRestore());
                            f.check().accept(account, JSON.readTree(fn.invoke(events.get())));
                            first.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(fn.lastInvocationMillis());
                            List<Long> warmRuns = new ArrayList<>();
                            for (int i = 0; i < WARM; i++) {
                                f.check().accept(account, JSON.readTree(fn.invoke(events.get())));
                                warmRuns.add(fn.lastInvocationMillis());
                            }
                            warm.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(median(warmRuns));
                        }
                    }
                }
            }
        }
        System.out.printf("First invocation after the SnapStart hooks (beforeCheckpoint, afterRestore) against a warm one, same%n"
                + "work, shipped jars on the emulated account, %d JVMs per function, %d warm invocations each; target <= 3x%n",
                runs, WARM);
        System.out.printf("%-10s | %10s | %10s %10s | %10s %10s | %6s%n", "function", "hooks p50", "first p50", "first p95",
                "warm p50", "warm p95", "ratio");
        for (Invocable f : functions) {
            long firstP50 = percentile(first.get(f.name()), 50);
            long warmP50 = percentile(warm.get(f.name()), 50);
            System.out.printf("%-10s | %7d ms | %7d ms %7d ms | %7d ms %7d ms | %6.2f%n", f.name(),
                    percentile(hooks.get(f.name()), 50), firstP50, percentile(first.get(f.name()), 95), warmP50,
                    percentile(warm.get(f.name()), 95), (double) firstP50 / Math.max(1, warmP50));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void require(boolean holds, JsonNode output) {
        if (!holds) {
            throw new IllegalStateException("the invocation did not do its work: " + output);
        }
    }

    private static long median(List<Long> values) {
        return percentile(values, 50);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String shortNames(List<String> clients) {
        return clients.stream().map(c -> c.substring(c.lastIndexOf('.') + 1).replace("Client", "")).toList().toString();
    }

    /**
     * One process: milliseconds from JVM start to the handler constructed, the SDK clients its priming
     * built on top (the parts built on first use), its SnapStart hooks, and CPU time.
     */
    private record Run(long init, long deferredClients, long checkpoint, long restore, long cpu, List<String> constructorClients,
            List<String> primedClients) {
        long allClients() {
            return init + deferredClients;
        }

        long primed() {
            return init + checkpoint;
        }
    }

    private static Run init(String classpath, String handler, List<String> flags, Map<String, String> env)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        // The template's JAVA_TOOL_OPTIONS for this function (the hello-world baseline gets the quick-start ones).
        command.addAll(flags.isEmpty() ? ShippedFunction.jvmFlags(handler) : flags);
        command.addAll(List.of("-Xshare:auto", "-Dorg.crac.Core.Compat=dev.cloudops.bench.crac", "-cp", classpath,
                "dev.cloudops.bench.InitTimer", handler));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(handler + " did not start: " + out);
        }
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] words = line.split(" ");
            if (words.length >= 2 && words[0].matches("[A-Z_]+") && words[1].matches("\\d+")) {
                values.put(words[0], Long.parseLong(words[1]));
            }
        }
        if (!values.keySet().containsAll(List.of("INIT_MS", "INIT_CPU_MS", "HOOKS", "CHECKPOINT_MS", "RESTORE_MS"))) {
            throw new IllegalStateException(handler + " printed no timings: " + out);
        }
        long deferred = 0;
        if (values.get("HOOKS") > 0) {
            Matcher m = DEFERRED.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException(handler + " ran its hooks but logged no priming line: " + out);
            }
            deferred = Long.parseLong(m.group(1));
        }
        return new Run(values.get("INIT_MS"), deferred, values.get("CHECKPOINT_MS"), values.get("RESTORE_MS"),
                values.get("INIT_CPU_MS"), listed(out, "CLIENTS"), listed(out, "CLIENTS_ALL"));
    }

    /** The comma-separated names InitTimer printed after {@code key}. */
    private static List<String> listed(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + " ")) {
                return List.of(line.substring(key.length() + 1).trim().split(",")).stream().filter(n -> !n.isBlank())
                        .toList();
            }
        }
        return List.of();
    }

    private static void copy(String resource, Path dir) throws IOException {
        try (InputStream in = ColdStartBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            Path target = dir.resolve(resource);
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long percentile(List<Run> runs, ToLongFunction<Run> value, int p) {
        return percentile(runs.stream().map(value::applyAsLong).toList(), p);
    }
}
