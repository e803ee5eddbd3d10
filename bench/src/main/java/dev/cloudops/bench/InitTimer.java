package dev.cloudops.bench;

import java.lang.management.ManagementFactory;

/**
 * Run as its own JVM by {@link ColdStartBenchmark}: constructs one handler class with its no-arg
 * constructor (as Lambda's INIT does: configuration read, SDK clients built) and prints the milliseconds
 * from JVM start to the handler existing.
 */
public final class InitTimer {

    private InitTimer() {
    }

    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.println("INIT_MS " + uptime + " " + handler.getClass().getSimpleName());
        System.exit(0);
    }
}
