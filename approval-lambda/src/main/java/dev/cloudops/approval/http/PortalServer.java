package dev.cloudops.approval.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Serves the review portal from a plain HTTP server on this machine (the local runner and browser tests):
 * each exchange becomes the same {@link HttpRequest} an API Gateway event would, without JWT claims.
 */
public final class PortalServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private PortalServer(HttpServer server) {
        this.server = server;
    }

    /** Starts serving {@code routes} on {@code address} (port 0 picks a free one). */
    public static PortalServer start(InetSocketAddress address, Function<HttpRequest, HttpResponse> routes)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        PortalServer portal = new PortalServer(server);
        server.createContext("/", exchange -> portal.serve(exchange, routes));
        server.setExecutor(portal.executor);
        server.start();
        return portal;
    }

    /** {@code http://host:port}, the base of every page. */
    public URI baseUrl() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    private void serve(HttpExchange exchange, Function<HttpRequest, HttpResponse> routes) throws IOException {
        HttpResponse response;
        try {
            response = routes.apply(request(exchange));
        } catch (MalformedRequestException e) {
            response = new HttpResponse(400, HttpResponse.baseHeaders("text/plain; charset=utf-8"), e.getMessage());
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static HttpRequest request(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            List<String> v = values;
            if (!v.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), v.getFirst());
            }
        });
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(HttpApiEvents.MAX_BODY_BYTES + 1);
        }
        if (body.length > HttpApiEvents.MAX_BODY_BYTES) {
            throw new MalformedRequestException("the body is larger than " + HttpApiEvents.MAX_BODY_BYTES + " bytes");
        }
        URI uri = exchange.getRequestURI();
        return new HttpRequest(exchange.getRequestMethod(), uri.getRawPath(), Forms.parse(uri.getRawQuery(), "query"),
                headers, new String(body, StandardCharsets.UTF_8), exchange.getRemoteAddress().getAddress()
                .getHostAddress(), headers.get("user-agent"), Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
