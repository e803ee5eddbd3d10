package dev.cloudops.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A loopback web site (HTTPS with the given certificate, or plain HTTP) with one path per behaviour:
 * {@code /} healthy with "Welcome", {@code /down} 503 as CloudFront answers it, {@code /hang} never
 * answers, {@code /in-200ms} answers after 200 ms, {@code /slow} after 400 ms, {@code /redirect} 302 to {@code /}, {@code /plain} 200
 * without the keyword, {@code /switch} 200 or 503 as the test sets it, {@code /hang-once/<key>} never answers its first
 * request and answers the others.
 */
public final class TestSite implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String scheme;
    private volatile boolean switchUp = true;
    private final java.util.concurrent.atomic.AtomicInteger slowAtFirst = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger slowThenHung = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> hungOnce =
            new java.util.concurrent.ConcurrentHashMap<>();

    private TestSite(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/hang-once/")) {
                // each /hang-once/<key> hangs on its first request only
                if (hungOnce.computeIfAbsent(path, k -> new java.util.concurrent.atomic.AtomicInteger()).getAndIncrement() == 0) {
                    sleep(60_000);
                }
                respond(exchange, 200, "Welcome");
                return;
            }
            switch (path) {
                case "/" -> respond(exchange, 200, "<h1>Welcome to the shop</h1>");
                case "/down" -> {
                    exchange.getResponseHeaders().add("Server", "CloudFront");
                    exchange.getResponseHeaders().add("X-Cache", "Error from cloudfront");
                    exchange.getResponseHeaders().add("X-Amz-Cf-Id", "abc123==");
                    respond(exchange, 503, "Service Unavailable");
                }
                case "/hang" -> sleep(60_000);
                case "/in-200ms" -> {
                    sleep(200);
                    respond(exchange, 200, "Welcome");
                }
                case "/slow" -> {
                    sleep(400);
                    respond(exchange, 200, "Welcome, slowly");
                }
                case "/slow-at-first" -> {
                    if (slowAtFirst.getAndIncrement() == 0) {
                        sleep(1_200); // only the first request: a passing slowdown
                    }
                    respond(exchange, 200, "Welcome");
                }
                case "/slow-then-hang" -> {
                    sleep(slowThenHung.getAndIncrement() == 0 ? 400 : 60_000);
                    respond(exchange, 200, "Welcome, slowly");
                }
                case "/redirect" -> {
                    exchange.getResponseHeaders().add("Location", "/");
                    respond(exchange, 302, "");
                }
                case "/plain" -> respond(exchange, 200, "<h1>Maintenance</h1>");
                case "/switch" -> respond(exchange, switchUp ? 200 : 503, switchUp ? "Welcome" : "Service Unavailable");
                default -> respond(exchange, 404, "not found");
            }
        });
        server.start();
    }

    public static TestSite https(SSLContext context) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            return new TestSite(server, "https");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestSite http() {
        try {
            return new TestSite(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                    "http");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Turns {@code /switch} healthy (200) or failing (503). */
    public void switchUp(boolean up) {
        switchUp = up;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code path} on this site under {@code host} (which must resolve to 127.0.0.1). */
    public URI url(String host, String path) {
        return URI.create(scheme + "://" + host + ":" + port() + path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sleeps, keeping an interruption for the caller to see: for the loopback test servers of this package. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
