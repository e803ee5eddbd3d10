package dev.cloudops.bench;

import com.sun.net.httpserver.HttpServer;
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

/**
 * Cold start of each function, measured as a process on this machine (issue 9): the shaded jar's size,
 * and the time from JVM start to the handler constructed (configuration read, every SDK client built;
 * the signing secret answered by a loopback stand-in, no other network), p50/p95 over 20 runs each,
 * side by side with a hello-world handler in the same run. JVM flags as the template sets them.
 *
 * <p>Run from the repository root after {@code ./mvnw -DskipTests install}:
 * {@code java -cp bench/target/bench.jar dev.cloudops.bench.ColdStartBenchmark}
 */
public final class ColdStartBenchmark {

    private static final int RUNS = 20;
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/key-AbCdEf";

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
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
        for (String c : List.of("InitTimer", "HelloHandler")) {
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
        Map<String, List<Long>> times = new HashMap<>();
        for (int run = 0; run < RUNS; run++) {
            for (Subject s : subjects) { // interleaved, so the machine's noise falls on all alike
                String cp = s.classpath().equals(timer) ? timer.toString() : timer + java.io.File.pathSeparator + s.classpath();
                times.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(init(cp, s.handler(), env));
            }
        }
        secrets.stop(0);
        long hello = percentile(times.get("hello-world"), 50);
        System.out.printf("%-12s %10s %9s %9s %9s%n", "function", "jar MB", "init p50", "init p95", "x hello");
        for (Subject s : subjects) {
            double mb = s.classpath().equals(timer) ? 0 : Files.size(s.classpath()) / 1048576.0;
            long p50 = percentile(times.get(s.name()), 50);
            System.out.printf("%-12s %10.1f %7d ms %7d ms %9.2f%n", s.name(), mb, p50, percentile(times.get(s.name()), 95),
                    (double) p50 / hello);
        }
    }

    private static long init(String classpath, String handler, Map<String, String> env) throws IOException,
            InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", classpath, "dev.cloudops.bench.InitTimer", handler).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(handler + " did not start: " + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("INIT_MS ")) {
                return Long.parseLong(line.split(" ")[1]);
            }
        }
        throw new IllegalStateException(handler + " printed no INIT_MS: " + out);
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

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
