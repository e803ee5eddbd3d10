package dev.cloudops.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function's shipped jar running in its own JVM, as Lambda runs it: {@code java -cp <jar>:<driver>}
 * with the template's JVM flags and only the given environment, driven by {@link HandlerDriver}. Nothing
 * from the test classpath reaches the child, so a class the jar lacks fails here as it would in Lambda.
 * Records when the JVM was launched, when the handler existed and when the first invocation was answered.
 */
public final class ShippedFunction implements AutoCloseable {

    /**
     * The JVM flags the template sets in JAVA_TOOL_OPTIONS for most functions: the C1 compiler only, for
     * quick starts of functions that mostly wait on AWS, and the serial collector, which the JVM would
     * pick anyway below 1,792 MB (stated, so the benchmarks run what Lambda runs).
     */
    public static final List<String> QUICK_START_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    /**
     * The monitor's flags: full tiered compilation, because its probes' TLS handshakes are most of its
     * work and run about 70 % more CPU when only C1 compiles the key exchange (bench/ProbeBenchmark).
     */
    public static final List<String> PROBING_FLAGS = List.of("-XX:+UseSerialGC");

    /** The flags the template gives the function whose handler is {@code handler} (a class name, optionally {@code ::method}). */
    public static List<String> jvmFlags(String handler) {
        return handler.startsWith("dev.cloudops.monitor.") ? PROBING_FLAGS : QUICK_START_FLAGS;
    }

    private final Process process;
    private final BufferedReader replies;
    private final Writer requests;
    private final Deque<String> log = new ArrayDeque<>();
    private final long launched;
    private final long constructMillis;
    private final long readyMillis;
    private long firstAnsweredMillis = -1;
    private long lastInvocationMillis = -1;

    private ShippedFunction(Process process, long launched) throws IOException {
        this.process = process;
        this.launched = launched;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> drain(process.getErrorStream()), "shipped-function-log");
        pump.setDaemon(true);
        pump.start();
        String ready = reply();
        if (!ready.startsWith("READY ")) {
            throw failure("the handler was not constructed", ready);
        }
        this.readyMillis = millisSinceLaunch();
        this.constructMillis = Long.parseLong(ready.substring("READY ".length()));
    }

    /**
     * Starts {@code handler} from {@code jar} in a fresh JVM whose environment is exactly {@code env}
     * (plus PATH and HOME), and waits until the handler has been constructed.
     */
    public static ShippedFunction start(Path jar, String handler, Map<String, String> env) {
        return start(jar, handler, env, List.of(), List.of());
    }

    /**
     * As {@link #start(Path, String, Map)}, with {@code moreFlags} after the template's JVM flags and
     * {@code moreClasspath} after the jar and the driver (e.g. a CRaC stand-in for {@link #checkpointRestore()}).
     */
    public static ShippedFunction start(Path jar, String handler, Map<String, String> env, List<Path> moreClasspath,
            List<String> moreFlags) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it first (./mvnw package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags(handler));
        command.addAll(moreFlags);
        StringBuilder classpath = new StringBuilder(jar.toAbsolutePath() + java.io.File.pathSeparator + driverFolder());
        moreClasspath.forEach(p -> classpath.append(java.io.File.pathSeparator).append(p.toAbsolutePath()));
        command.addAll(List.of("-cp", classpath.toString(), HandlerDriver.class.getName(), handler));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        String home = environment.get("HOME");
        environment.clear();
        if (path != null) {
            environment.put("PATH", path);
        }
        if (home != null) {
            environment.put("HOME", home);
        }
        environment.putAll(env);
        long launched = System.nanoTime();
        try {
            return new ShippedFunction(builder.start(), launched);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Invokes the handler with one event; a handler exception becomes an {@link InvocationFailed}. */
    public byte[] invoke(byte[] event) {
        String reply;
        try {
            requests.write("INVOKE " + Base64.getEncoder().encodeToString(event) + "\n");
            requests.flush();
            reply = reply();
        } catch (IOException e) {
            throw failure("the function process is gone", e.toString());
        }
        if (firstAnsweredMillis < 0) {
            firstAnsweredMillis = millisSinceLaunch();
        }
        String[] parts = reply.split(" ", 3);
        if (parts.length > 1 && parts[1].matches("\\d+")) {
            lastInvocationMillis = Long.parseLong(parts[1]);
        }
        if (parts[0].equals("OK")) {
            return Base64.getDecoder().decode(parts.length > 2 ? parts[2] : "");
        }
        if (parts[0].equals("ERROR")) {
            throw new InvocationFailed(decode(parts[2]));
        }
        throw failure("unexpected reply", reply);
    }

    /** Milliseconds the last invocation took in the handler, measured in the child; -1 before one. */
    public long lastInvocationMillis() {
        return lastInvocationMillis;
    }

    /**
     * Runs the handler's SnapStart hooks, every beforeCheckpoint then every afterRestore, as Lambda does
     * around a snapshot; the JVM then goes on as one restored from it. Needs a CRaC stand-in on the
     * classpath, named by {@code -Dorg.crac.Core.Compat} (see the start overload with more flags).
     * Returns the milliseconds both took.
     */
    public long checkpointRestore() {
        String reply;
        try {
            requests.write("RESTORE\n");
            requests.flush();
            reply = reply();
        } catch (IOException e) {
            throw failure("the function process is gone", e.toString());
        }
        String[] parts = reply.split(" ", 3);
        if (parts[0].equals("RESTORED")) {
            return Long.parseLong(parts[1]);
        }
        if (parts[0].equals("ERROR")) {
            throw new InvocationFailed(decode(parts[2]));
        }
        throw failure("unexpected reply", reply);
    }

    /** Milliseconds from launching the JVM to the handler constructed (JVM start, class loading, INIT). */
    public long launchToConstructedMillis() {
        return readyMillis;
    }

    /** Milliseconds the no-arg constructor took, measured in the child. */
    public long constructorMillis() {
        return constructMillis;
    }

    /** Milliseconds from launching the JVM to the first invocation's answer; -1 before one was answered. */
    public long launchToFirstAnswerMillis() {
        return firstAnsweredMillis;
    }

    /** The last lines the function wrote (its logs), for failure messages. */
    public String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    @Override
    public void close() {
        try {
            requests.write("QUIT\n");
            requests.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** A handler that threw: the child's stack trace is the message. */
    public static final class InvocationFailed extends RuntimeException {
        InvocationFailed(String trace) {
            super(trace);
        }
    }

    private String reply() throws IOException {
        String line = replies.readLine();
        if (line == null) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw failure("the function process ended", "exit " + (process.isAlive() ? "?" : process.exitValue()));
        }
        if (line.startsWith("FAILED ")) {
            throw failure("the handler was not constructed", decode(line.substring("FAILED ".length())));
        }
        return line;
    }

    private IllegalStateException failure(String what, String detail) {
        process.destroyForcibly();
        return new IllegalStateException(what + ": " + detail + "\n--- function log ---\n" + log());
    }

    private long millisSinceLaunch() {
        return Duration.ofNanos(System.nanoTime() - launched).toMillis();
    }

    private void drain(InputStream stream) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (log) {
                    log.addLast(line);
                    if (log.size() > 200) {
                        log.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static Path driverFolder;

    /** A folder holding only the driver's class file, so the child's classpath is the jar plus that. */
    private static synchronized Path driverFolder() {
        if (driverFolder != null) {
            return driverFolder;
        }
        String resource = HandlerDriver.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ShippedFunction.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            Path folder = Files.createTempDirectory("cloudops-driver-");
            Path target = folder.resolve(resource);
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
            driverFolder = folder;
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
