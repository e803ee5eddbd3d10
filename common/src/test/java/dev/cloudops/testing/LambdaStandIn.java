package dev.cloudops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Lambda's {@code Invoke} API on a free loopback port, answering with real function code: each function name
 * is bound to a handler (usually a {@link ShippedFunction}, the shipped jar in its own JVM). A handler that
 * throws answers as Lambda does for an unhandled error: status 200, {@code X-Amz-Function-Error: Unhandled},
 * and {@code {"errorType", "errorMessage"}}, whose {@code errorType} (the exception's class) Step Functions
 * takes as the error name its Retry and Catch match. One invocation at a time per function, as a function
 * with a reserved concurrency of one; every invocation is recorded.
 */
public final class LambdaStandIn implements AutoCloseable {

    /** One recorded invocation: the function's name as bound, and the payload. */
    public record Invocation(String function, String payload) {
    }

    private final HttpServer server;
    private final Map<String, UnaryOperator<byte[]>> functions = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();

    public LambdaStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the Lambda stand-in's port", e);
        }
        server.createContext("/2015-03-31/functions/", this::invoke);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Binds {@code name} (a function name; an ARN naming it, with or without alias, finds it too). */
    public LambdaStandIn bind(String name, UnaryOperator<byte[]> handler) {
        Object lock = new Object();
        functions.put(name, payload -> {
            synchronized (lock) {
                return handler.apply(payload);
            }
        });
        return this;
    }

    /** Binds {@code name} to a shipped function; its handler's exceptions become Lambda function errors. */
    public LambdaStandIn bind(String name, ShippedFunction function) {
        return bind(name, function::invoke);
    }

    /** Every invocation so far, oldest first. */
    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    /** The invocations of {@code function} whose payload names {@code task} as its cloudops_task. */
    public long count(String function, String task) {
        java.util.regex.Pattern named = java.util.regex.Pattern.compile("\"cloudops_task\"\\s*:\\s*\""
                + java.util.regex.Pattern.quote(task) + "\"");
        return invocations.stream().filter(i -> i.function().equals(function) && named.matcher(i.payload()).find())
                .count();
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String encoded = path.substring("/2015-03-31/functions/".length(), path.length() - "/invocations".length());
            String name = resolve(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
            byte[] payload = exchange.getRequestBody().readAllBytes();
            UnaryOperator<byte[]> handler = name == null ? null : functions.get(name);
            if (handler == null) {
                answer(exchange, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"message\":\"Function not found: " + encoded + "\"}");
                return;
            }
            invocations.add(new Invocation(name, new String(payload, StandardCharsets.UTF_8)));
            byte[] output;
            try {
                output = handler.apply(payload);
            } catch (ShippedFunction.InvocationFailed e) {
                answer(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled"), error(e.getMessage()));
                return;
            } catch (RuntimeException e) {
                answer(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled"),
                        error(e.getClass().getName() + ": " + e.getMessage()));
                return;
            }
            answer(exchange, 200, Map.of(), new String(output, StandardCharsets.UTF_8));
        }
    }

    /** The bound name an invoked name refers to: itself, or the function segment of an ARN. */
    private String resolve(String invoked) {
        if (functions.containsKey(invoked)) {
            return invoked;
        }
        String[] parts = invoked.split(":");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("function") && functions.containsKey(parts[i + 1])) {
                return parts[i + 1];
            }
        }
        return null;
    }

    /** Lambda's error payload from a Java stack trace: its first line is "class: message". */
    static String error(String trace) {
        String first = trace == null ? "java.lang.RuntimeException" : trace.lines().findFirst().orElse("");
        int colon = first.indexOf(": ");
        String type = colon < 0 ? first.trim() : first.substring(0, colon).trim();
        String message = colon < 0 ? "" : first.substring(colon + 2);
        var node = dev.cloudops.json.Json.mapper().createObjectNode();
        node.put("errorType", type.isEmpty() ? "java.lang.RuntimeException" : type);
        node.put("errorMessage", message);
        return node.toString();
    }

    private static void answer(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
