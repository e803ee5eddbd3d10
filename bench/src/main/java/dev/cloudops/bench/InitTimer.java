package dev.cloudops.bench;

import dev.cloudops.bench.crac.Core;
import java.lang.management.ManagementFactory;

/**
 * Run as its own JVM by {@link ColdStartBenchmark}: constructs one handler class with its no-arg
 * constructor (as Lambda's INIT does: configuration read, SDK clients built) and prints the milliseconds
 * from JVM start to the handler existing, and the process's CPU time by then. Then it runs the SnapStart
 * hooks the handler registered, as Lambda does around a snapshot (with the {@code dev.cloudops.bench.crac}
 * stand-in for Lambda's CRaC implementation, {@code -Dorg.crac.Core.Compat=dev.cloudops.bench.crac}), and
 * prints how long the beforeCheckpoint and afterRestore hooks took, and the SDK clients the handler held
 * after its constructor and after its hooks ({@link BuiltClients}).
 */
public final class InitTimer {

    private InitTimer() {
    }

    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        System.out.println("INIT_MS " + uptime + " " + handler.getClass().getSimpleName());
        System.out.println("INIT_CPU_MS " + cpu);
        System.out.println("CLIENTS " + String.join(",", BuiltClients.of(handler)));
        int hooks = Core.getGlobalContext().registered();
        if (hooks > 0) {
            Core.checkpointRestore();
        }
        System.out.println("CLIENTS_ALL " + String.join(",", BuiltClients.of(handler)));
        System.out.println("HOOKS " + hooks);
        System.out.println("CHECKPOINT_MS " + Core.getGlobalContext().checkpointNanos() / 1_000_000);
        System.out.println("RESTORE_MS " + Core.getGlobalContext().restoreNanos() / 1_000_000);
        System.exit(0);
    }
}
