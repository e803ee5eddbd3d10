package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.control.dynamodb.ControlTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The dynalite DynamoDB emulator, run as a Node.js child process on a free loopback port. */
public final class Dynalite implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final URI endpoint;
    private final AwsClients clients;
    private final Thread reaper;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(endpoint)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        // Safety net: a JVM that exits without closing us must not leave node running.
        this.reaper = new Thread(process::destroyForcibly, "dynalite-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Installs the emulator packages if needed and starts dynalite; retries once on a port clash. */
    public static Dynalite start() {
        Path emulators = NodeEmulators.folder();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOn(emulators, freePort());
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Dynalite startOn(Path emulators, int port) {
        List<String> command = List.of("node", emulators.resolve("node_modules/dynalite/cli.js").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start dynalite (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        Deque<String> output = new ArrayDeque<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 30) {
                            output.removeFirst();
                        }
                    }
                    if (line.contains("listening at")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended; its exit is reported by the caller
            }
        }, "dynalite-output");
        pump.setDaemon(true);
        pump.start();
        try {
            boolean started = ready.await(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
            if (!started || !process.isAlive()) {
                process.destroyForcibly();
                synchronized (output) {
                    throw new IllegalStateException("dynalite did not start on port " + port + " within "
                            + STARTUP.toSeconds() + " s; its output:\n" + String.join("\n", output));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting dynalite", e);
        }
        return new Dynalite(process, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client for this emulator (region us-east-1, dummy credentials); closed with the emulator. */
    public DynamoDbClient client() {
        return clients.dynamoDb();
    }

    /**
     * Creates a table and waits until it is ACTIVE: dynalite answers CreateTable while the table is still
     * CREATING, and on a loaded machine the next request can arrive before it turns ACTIVE.
     */
    public static void createTable(DynamoDbClient client, CreateTableRequest request) {
        client.createTable(request);
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (client.describeTable(b -> b.tableName(request.tableName())).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + request.tableName() + " did not become ACTIVE");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + request.tableName(), e);
            }
        }
    }

    /** As {@link #createTable(DynamoDbClient, CreateTableRequest)} with this emulator's client. */
    public void createTable(CreateTableRequest request) {
        createTable(client(), request);
    }

    /** A new, empty Control table under a name of its own; returns the name. */
    public String createControlTable() {
        String name = "control-" + UUID.randomUUID();
        createTable(ControlTable.createRequest(name));
        return name;
    }

    @Override
    public void close() {
        clients.close();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; nothing left to do
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
