package dev.cloudops.bench;

import com.sun.net.httpserver.HttpServer;
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
import java.util.concurrent.TimeUnit;
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
 * <p>Run from the repository root after {@code ./mvnw -DskipTests package}:
 * {@code java -cp bench/target/bench.jar dev.cloudops.bench.ColdStartBenchmark . [runs]}
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
        for (String c : List.of("InitTimer", "HelloHandler", "crac/Core", "crac/Context", "crac/Resource",
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
        env.put("EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/cloudops-execution");
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
        Map<String, List<Run>> runs = new HashMap<>();
        for (int run = 0; run < runCount; run++) {
            for (Subject s : subjects) { // interleaved, so the machine's noise falls on all alike
                String cp = s.classpath().equals(timer) ? timer.toString() : timer + java.io.File.pathSeparator + s.classpath();
                runs.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(init(cp, s.handler(), env));
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
    }

    /**
     * One process: milliseconds from JVM start to the handler constructed, the SDK clients its priming
     * built on top (the parts built on first use), its SnapStart hooks, and CPU time.
     */
    private record Run(long init, long deferredClients, long checkpoint, long restore, long cpu) {
        long allClients() {
            return init + deferredClients;
        }

        long primed() {
            return init + checkpoint;
        }
    }

    private static Run init(String classpath, String handler, Map<String, String> env) throws IOException,
            InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        // The template's JAVA_TOOL_OPTIONS for this function (the hello-world baseline gets the quick-start ones).
        command.addAll(ShippedFunction.jvmFlags(handler));
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
                values.get("INIT_CPU_MS"));
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
        List<Long> sorted = new ArrayList<>(runs.stream().map(value::applyAsLong).toList());
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
