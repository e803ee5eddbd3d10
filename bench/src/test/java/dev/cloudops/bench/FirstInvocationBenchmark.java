package dev.cloudops.bench;

import dev.cloudops.alert.Alert;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.EmulatedAccount;
import dev.cloudops.testing.S3Emulator;
import dev.cloudops.testing.ShippedFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * First invocation of each function's shipped jar against emulators (issue 9), measured as Lambda's
 * first request after a cold start: a fresh JVM with only the jar on its classpath (the template's JVM
 * flags), the handler constructed by its no-arg constructor, then one realistic event answered. The same
 * driver and emulated account as the deploy module's ShippedJarsIT (dynalite, s3proxy, WireMock); here
 * only the times are printed: launch to handler constructed and launch to first answer, p50/p95 per
 * function over {@code RUNS} fresh JVMs, interleaved so the machine's noise falls on all alike.
 *
 * <p>Needs node (dynalite). Its emulators cannot ship in bench.jar, so it runs from this module's test
 * classpath, after a build of every module: {@code scripts/jdk21 ./mvnw -B -DskipTests -Pfirst-invocation
 * verify [-Dfirst-invocation.runs=10]}.
 */
public final class FirstInvocationBenchmark {

    private FirstInvocationBenchmark() {
    }

    private record Subject(String name, String module, String handler, Function<EmulatedAccount, Map<String, String>> env,
                           Function<EmulatedAccount, byte[]> event) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Subject> subjects = List.of(
                new Subject("monitor", "monitor-lambda", "dev.cloudops.monitor.MonitorHandler",
                        EmulatedAccount::monitorEnvironment,
                        a -> EventFiles.read(root, "monitor-lambda", "scheduled-event.json", Map.of())),
                new Subject("approval", "approval-lambda", "dev.cloudops.approval.ApprovalHandler",
                        EmulatedAccount::approvalEnvironment, a -> {
                            Alert alert = a.pendingAlert();
                            return EventFiles.read(root, "approval-lambda", "get-review.json",
                                    Map.of("ALERT_ID", alert.alertId(), "TOKEN", a.reviewToken(alert.alertId())));
                        }),
                new Subject("execution", "execution-lambda", "dev.cloudops.execution.ExecutionHandler",
                        EmulatedAccount::executionEnvironment, a -> {
                            Alert alert = a.approvedAlert();
                            String message = "{\\\"alert_id\\\":\\\"" + alert.alertId() + "\\\",\\\"plan_hash\\\":\\\""
                                    + alert.planHash() + "\\\"}";
                            return EventFiles.read(root, "execution-lambda", "sns-execute.json",
                                    Map.of("MESSAGE", message, "ALERT_ID", alert.alertId()));
                        }));
        Map<String, List<Long>> constructed = new LinkedHashMap<>();
        Map<String, List<Long>> answered = new LinkedHashMap<>();
        try (Dynalite dynalite = Dynalite.start(); S3Emulator s3 = S3Emulator.start()) {
            for (int run = 0; run < runs; run++) {
                for (Subject s : subjects) {
                    try (EmulatedAccount account = new EmulatedAccount(dynalite, s3)) {
                        byte[] event = s.event().apply(account);
                        try (ShippedFunction f = ShippedFunction.start(root.resolve(s.module()).resolve("target")
                                .resolve(s.module() + ".jar"), s.handler(), s.env().apply(account))) {
                            f.invoke(event);
                            constructed.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(f.launchToConstructedMillis());
                            answered.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(f.launchToFirstAnswerMillis());
                        }
                    }
                }
            }
        }
        System.out.printf("%-10s %8s %14s %14s %16s %16s%n", "function", "jar MiB", "constructed p50",
                "constructed p95", "first answer p50", "first answer p95");
        for (Subject s : subjects) {
            double mib = Files.size(root.resolve(s.module()).resolve("target").resolve(s.module() + ".jar")) / 1048576.0;
            System.out.printf("%-10s %8.1f %12d ms %12d ms %14d ms %14d ms%n", s.name(), mib,
                    percentile(constructed.get(s.name()), 50), percentile(constructed.get(s.name()), 95),
                    percentile(answered.get(s.name()), 50), percentile(answered.get(s.name()), 95));
        }
        System.exit(0);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
