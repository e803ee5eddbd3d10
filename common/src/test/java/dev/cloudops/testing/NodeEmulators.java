package dev.cloudops.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm-packaged emulators of {@code emulators/}: finds the folder, checks Node.js, and installs the
 * locked packages with {@code npm ci} when they are missing or older than the lock file. Fails with a
 * message that says what to install; it never skips.
 */
public final class NodeEmulators {

    private static final int MIN_NODE_MAJOR = 20;
    private static Path installed;

    private NodeEmulators() {
    }

    /** The emulators folder with its packages installed. */
    public static synchronized Path folder() {
        if (installed == null) {
            Path dir = locate();
            checkNode();
            installIfStale(dir);
            installed = dir;
        }
        return installed;
    }

    private static Path locate() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("emulators/package-lock.json"))) {
                return p.resolve("emulators");
            }
        }
        throw new IllegalStateException("cannot find emulators/package-lock.json above " + dir
                + "; run the tests from a checkout of cloudops-agent");
    }

    private static void checkNode() {
        String version;
        try {
            version = run(List.of("node", "--version"), null, 30).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Node.js " + MIN_NODE_MAJOR + "+ is needed to run the DynamoDB "
                    + "emulator (dynalite) for the integration tests, but 'node' was not found on PATH. Install "
                    + "Node.js " + MIN_NODE_MAJOR + " or newer with npm (Debian: apt-get install nodejs npm).", e);
        }
        int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        if (major < MIN_NODE_MAJOR) {
            throw new IllegalStateException("Node.js " + MIN_NODE_MAJOR + "+ is needed for the test emulators, found "
                    + version);
        }
    }

    private static void installIfStale(Path dir) {
        Path lockFile = dir.resolve("package-lock.json");
        Path marker = dir.resolve("node_modules/.package-lock.json");
        try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // Test JVMs of several modules may start at once; one installs, the others wait.
            FileLock lock = channel.lock();
            try {
                boolean fresh = Files.exists(marker)
                        && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lockFile)) >= 0;
                if (!fresh) {
                    run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), dir, 300);
                }
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not install the test emulators with 'npm ci' in " + dir
                    + ": " + e.getMessage() + ". Is npm installed (Debian: apt-get install npm)?", e);
        }
    }

    /** Runs a command to completion and returns its output; throws IOException on failure. */
    static String run(List<String> command, Path dir, int timeoutSeconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process process = builder.start();
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                all.append(line).append('\n');
                tail.addLast(line);
                if (tail.size() > 30) {
                    tail.removeFirst();
                }
            }
        }
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                    + String.join("\n", tail));
        }
        return all.toString();
    }
}
