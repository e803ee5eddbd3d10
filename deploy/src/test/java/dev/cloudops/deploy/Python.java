package dev.cloudops.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the pinned Python tools of requirements-dev.txt (the real cfn-lint, aws-sam-translator) through
 * {@code python3}, not through scripts on PATH, so a {@code pip install --user} works wherever its bin
 * folder is. A missing tool fails the test with what to install; it never skips.
 */
final class Python {

    /** What a run printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {

        /** Both streams, for messages. */
        String output() {
            return stderr.isEmpty() ? stdout : stdout + "\n[stderr]\n" + stderr;
        }
    }

    private static final String INSTALL = "Install the pinned Python tools: python3 -m pip install --user -r "
            + "requirements-dev.txt (bash .ci/run does it).";

    private Python() {
    }

    /** Fails with what to install unless python3 can import every module named. */
    static void require(String... modules) {
        Result result = run(Path.of("."), Duration.ofSeconds(60), "-c", "import " + String.join(", ", modules));
        if (result.exitCode() != 0) {
            throw new AssertionError("the build needs the Python modules " + String.join(", ", modules)
                    + " but python3 cannot import them:\n" + result.output() + "\n" + INSTALL);
        }
    }

    /** The real cfn-lint (its console script's entry point) with these arguments, run in {@code dir}. */
    static Result cfnLint(Path dir, String... arguments) {
        List<String> args = new ArrayList<>(List.of("-c", "import sys; from cfnlint.runner import main; sys.exit(main())"));
        args.addAll(List.of(arguments));
        return run(dir, Duration.ofMinutes(5), args.toArray(String[]::new));
    }

    static Result run(Path dir, Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run python3 (" + e.getMessage() + "); the build needs Python 3.11+. "
                    + INSTALL, e);
        }
        // Read while waiting: a full pipe would block the tool.
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("python3 " + String.join(" ", arguments) + " did not finish in "
                        + timeout.toSeconds() + " s:\n" + stdout.getNow("") + stderr.getNow(""));
            }
            return new Result(process.exitValue(), stdout.get(30, TimeUnit.SECONDS), stderr.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the output of python3: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while running python3", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
