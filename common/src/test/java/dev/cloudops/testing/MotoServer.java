package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * moto in server mode (its WSGI app under werkzeug, as {@code python3 -m moto.server} runs it, from the
 * pinned {@code moto[server]} of requirements-dev.txt) on a free loopback port: a second implementation of
 * the AWS APIs, written
 * independently of this project's WireMock stubs, that the contract tests run against as well. Started
 * once per test JVM by {@link Emulators}; tests keep apart by giving their resources names of their own.
 * A missing Python or moto fails the test with what to install; it never skips. Two additions to moto's own
 * server: DynamoDB requests are handled one at a time (below), and Lambda invocations can be passed to a
 * {@link LambdaStandIn} ({@link #forwardLambdaInvocationsTo}).
 */
public final class MotoServer implements AutoCloseable {

    /** moto's default account: the account every ARN it makes carries. */
    public static final String ACCOUNT = "123456789012";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;
    private final AwsClients clients;
    private final Thread reaper;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(endpoint)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
        this.reaper = new Thread(process::destroyForcibly, "moto-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts moto's server; retries on a port clash. */
    public static MotoServer start() {
        checkInstalled();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOn(Dynalite.freePort());
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static void checkInstalled() {
        try {
            NodeEmulators.run(List.of("python3", "-c", "import moto.server, flask"), null, 60);
        } catch (IOException e) {
            throw new IllegalStateException("moto's server mode (Python package moto[server]) is needed for the "
                    + "AWS cross-check tests but cannot be imported by python3: " + e.getMessage()
                    + "\nInstall the pinned Python tools: python3 -m pip install --user -r requirements-dev.txt "
                    + "(or run bash .ci/run, which does it).", e);
        }
    }

    /**
     * moto's own server ({@code moto.server.main} does the same), with DynamoDB requests handled one at a
     * time. moto keeps no per-item lock: a conditional write is checked, then applied, and under this
     * suite's fifty concurrent writers two of them were seen to win (DynamoDB serialises the writes to an
     * item, as dynalite does). Serialising them makes moto's answers those of DynamoDB for the conditions
     * themselves; the race tests on dynalite are the ones that test atomicity. Other services stay
     * concurrent (SQS long polls must not hold up the publish that ends them).
     *
     * <p>Two fixes to moto 5.2.1's Step Functions (execute_state_machine mode), applied before it serves:
     * StartExecution deep-copies the state machine, and through its {@code executions} and {@code backend}
     * reaches every running execution's lock, so every start after the first in a region failed with a 500
     * ({@code cannot pickle '_thread.RLock'}, getmoto/moto#10077, fixed upstream by #10093 the same way: the
     * copy gets no executions); and SendTaskFailure dropped its {@code cause} before it reached the execution.
     */
    private static final String SERVER = String.join("\n",
            "import copy, json, sys, threading, types, urllib.error, urllib.request",
            "from moto.core.responses import EmptyResult",
            "from moto.stepfunctions import responses as sfn_responses",
            "from moto.stepfunctions.parser import models as sfn_parser",
            "def snapshot(machine, memo=None):",
            "    memo = {} if memo is None else memo",
            "    memo[id(machine.executions)] = []",
            "    memo[id(machine.backend)] = machine.backend",
            "    return copy.deepcopy(machine, memo)",
            "sfn_parser.copy = types.SimpleNamespace(deepcopy=snapshot)",
            "def send_task_failure(self):",
            "    backend = self.stepfunction_backend",
            "    extra = {'cause': self._get_param('cause')} if isinstance(backend,"
                    + " sfn_parser.StepFunctionsParserBackend) else {}",
            "    backend.send_task_failure(self._get_param('taskToken'), error=self._get_param('error'), **extra)",
            "    return EmptyResult()",
            "sfn_responses.StepFunctionResponse.send_task_failure = send_task_failure",
            "from moto.server import DomainDispatcherApplication, create_backend_app",
            "from werkzeug.serving import run_simple",
            "app = DomainDispatcherApplication(create_backend_app)",
            "lock = threading.Lock()",
            "forward = {}",
            "KEEP = ('content-type', 'x-amz-function-error', 'x-amz-executed-version')",
            "def body(environ):",
            "    return environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0))",
            "def invoke(environ, start_response):",
            "    request = urllib.request.Request(forward['url'] + environ.get('PATH_INFO', ''), data=body(environ),",
            "                                     method='POST', headers={'Content-Type': 'application/json'})",
            "    try:",
            "        answer = urllib.request.urlopen(request, timeout=900)",
            "    except urllib.error.HTTPError as e:",
            "        answer = e",
            "    data = answer.read()",
            "    headers = [(k, v) for k, v in answer.headers.items() if k.lower() in KEEP]",
            "    start_response('%d %s' % (answer.status, answer.reason), headers + [('Content-Length', str(len(data)))])",
            "    return [data]",
            "def serialised(environ, start_response):",
            "    path = environ.get('PATH_INFO', '')",
            "    if path == '/_cloudops/lambda-forward' and environ['REQUEST_METHOD'] == 'POST':",
            "        forward['url'] = json.loads(body(environ))['url']",
            "        start_response('200 OK', [('Content-Type', 'application/json')])",
            "        return [b'{}']",
            "    if forward.get('url') and path.startswith('/2015-03-31/functions/') and path.endswith('/invocations'):",
            "        return invoke(environ, start_response)",
            "    if environ.get('HTTP_X_AMZ_TARGET', '').startswith('DynamoDB_'):",
            "        with lock:",
            "            return app(environ, start_response)",
            "    return app(environ, start_response)",
            "run_simple(sys.argv[1], int(sys.argv[2]), serialised, threaded=True)");

    private static MotoServer startOn(int port) {
        List<String> command = List.of("python3", "-c", SERVER, "127.0.0.1", Integer.toString(port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONUNBUFFERED", "1");
        builder.environment().put("MOTO_PORT", Integer.toString(port));
        // moto must never reach real AWS or a Docker engine from a test.
        builder.environment().put("MOTO_DOCKER_NETWORK_MODE", "none");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto (" + String.join(" ", command) + "): "
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
                    if (line.contains("Running on")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended; its exit is reported by the caller
            }
        }, "moto-output");
        pump.setDaemon(true);
        pump.start();
        try {
            boolean started = ready.await(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
            if (!started || !process.isAlive()) {
                process.destroyForcibly();
                synchronized (output) {
                    throw new IllegalStateException("moto did not start on port " + port + " within "
                            + STARTUP.toSeconds() + " s; its output:\n" + String.join("\n", output));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting moto", e);
        }
        return new MotoServer(process, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Clients for this server (region us-east-1, dummy credentials); closed with the server. */
    public AwsClients clients() {
        return clients;
    }

    /**
     * From now on, Lambda {@code Invoke} requests reaching this server (those of its Step Functions
     * interpreter's {@code lambda:invoke} tasks among them) are passed to {@code standIn}, path and body as
     * they are, and its answer (status, body, {@code X-Amz-Function-Error}) goes back: real function code
     * behind moto's tasks, where moto itself would run it only in Docker ({@link LambdaStandIn}).
     */
    public void forwardLambdaInvocationsTo(URI standIn) {
        control("/_cloudops/lambda-forward", "{\"url\": \"" + standIn.toString().replaceAll("/$", "") + "\"}");
    }

    /**
     * POSTs JSON to one of moto's own control endpoints (e.g. {@code /moto-api/config}) and returns the
     * answer; fails unless moto answers 2xx (its config endpoint answers 201).
     */
    public String control(String path, String json) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("moto " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling moto " + path, e);
        }
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
}
