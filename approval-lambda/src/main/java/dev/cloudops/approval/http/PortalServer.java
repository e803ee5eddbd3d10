package dev.cloudops.approval.http;

import dev.cloudops.approval.page.Pages;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the review portal over plain HTTP/1.1 on this machine (the local runner and browser tests): each
 * request becomes the same {@link HttpRequest} an API Gateway event would, without JWT claims, and a
 * request that cannot be parsed is answered with the portal's own error page and security headers.
 */
public final class PortalServer implements AutoCloseable {

    // A socket loop of our own rather than the JDK's com.sun.net.httpserver: that server answers some
    // malformed requests itself (a bad %-escape, a request line without version, a header line without a
    // colon) with its own text page and none of our headers, and hands others on ("GET /a b c HTTP/1.1"
    // reaches the handler as "/a"). Nothing on the classpath serves HTTP otherwise, and Jetty or Netty would
    // be a second server stack in the jar for one request per connection and two hundred lines of parsing.

    private static final Logger LOG = LoggerFactory.getLogger(PortalServer.class);
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final long MAX_DRAIN = 1 << 20;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/\\d\\.\\d");
    private static final Pattern LENGTH = Pattern.compile("\\d{1,10}");

    /** A request refused before it reaches the routes: the status and the reason shown on the error page. */
    private static final class Refused extends Exception {
        private final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private final ServerSocket socket;
    private final Function<HttpRequest, HttpResponse> routes;
    private final Pages pages = new Pages();
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();

    private PortalServer(ServerSocket socket, Function<HttpRequest, HttpResponse> routes) {
        this.socket = socket;
        this.routes = routes;
    }

    /** Starts serving {@code routes} on {@code address} (port 0 picks a free one). */
    public static PortalServer start(InetSocketAddress address, Function<HttpRequest, HttpResponse> routes)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(address, 50);
        PortalServer portal = new PortalServer(socket, routes);
        portal.connections.submit(portal::accept);
        return portal;
    }

    /** {@code http://host:port}, the base of every page. */
    public URI baseUrl() {
        InetSocketAddress a = (InetSocketAddress) socket.getLocalSocketAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.submit(() -> serve(connection));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("portal: accepting a connection failed: {}", e.toString());
                }
            }
        }
    }

    /** One request per connection: read, answer, close. */
    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            boolean head = false;
            try {
                String line = line(in, 414, "the request line is longer than " + MAX_LINE + " bytes");
                if (line == null) {
                    return;
                }
                head = line.startsWith("HEAD ");
                write(connection.getOutputStream(), answer(read(line, in, connection)), head);
            } catch (Refused r) {
                String heading = r.status == 400 ? "Bad request" : reason(r.status);
                write(connection.getOutputStream(), pages.error(r.status, heading, r.getMessage()), head);
                drain(connection, in);
            }
        } catch (IOException e) {
            LOG.debug("portal: connection ended early: {}", e.toString());
        }
    }

    /**
     * After a refusal the rest of the request is still unread; closing then would reset the connection and
     * could destroy the answer before the client reads it, so the client gets a moment to take it first.
     */
    private static void drain(Socket connection, InputStream in) throws IOException {
        connection.shutdownOutput();
        connection.setSoTimeout(1_000);
        try {
            long skipped = 0;
            while (skipped < MAX_DRAIN && in.read() != -1) {
                skipped += 1 + in.skip(MAX_DRAIN - skipped);
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("portal: the client kept the connection open after a refusal");
        }
    }

    private HttpResponse answer(HttpRequest request) {
        try {
            return routes.apply(request);
        } catch (MalformedRequestException e) {
            return pages.error(400, "Bad request", e.getMessage());
        } catch (RuntimeException e) {
            // The transport must answer something; the routes answer every expected outcome themselves.
            LOG.error("portal: {} {} failed", request.method(), request.path(), e);
            return pages.error(500, "Something went wrong", "the portal could not answer this request");
        }
    }

    private HttpRequest read(String requestLine, InputStream in, Socket connection) throws IOException, Refused {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3) {
            throw new Refused(400, "the request line must be METHOD TARGET HTTP/1.1, three parts separated by single "
                    + "spaces");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (!TOKEN.matcher(method).matches()) {
            throw new Refused(400, "the method is not a token");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new Refused(400, "the request line does not end with an HTTP version");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Refused(505, version + " is not supported; use HTTP/1.1");
        }
        URI uri = target(target);
        Map<String, String> headers = headers(in);
        if (version.equals("HTTP/1.1") && !headers.containsKey("host")) {
            throw new Refused(400, "an HTTP/1.1 request needs a Host header");
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect")) && headers.containsKey("content-length")) {
            // curl asks before sending a larger form and would otherwise wait a second for this.
            connection.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        String body = body(in, headers);
        Map<String, String> query;
        try {
            query = Forms.parse(uri.getRawQuery(), "query");
        } catch (MalformedRequestException e) {
            throw new Refused(400, e.getMessage());
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new HttpRequest(method, path, query, headers, body,
                connection.getInetAddress().getHostAddress(), headers.get("user-agent"), Map.of());
    }

    /** The request target as a URI: a path with an optional query (or an absolute http URL), ASCII only. */
    private static URI target(String target) throws Refused {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new Refused(400, "the request target contains a character that must be %-encoded");
            }
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw new Refused(400, "the request target is not a valid URI: " + e.getReason() + " at index "
                    + e.getIndex());
        }
        boolean path = target.startsWith("/") && uri.getRawAuthority() == null;
        boolean absolute = "http".equalsIgnoreCase(uri.getScheme()) && uri.getRawAuthority() != null;
        if (!(path || absolute) || uri.getRawFragment() != null) {
            throw new Refused(400, "the request target must be a path such as /alerts/ID");
        }
        return uri;
    }

    private static Map<String, String> headers(InputStream in) throws IOException, Refused {
        Map<String, String> headers = new HashMap<>();
        int bytes = 0;
        for (int count = 0; ; count++) {
            String line = line(in, 431, "a header line is longer than " + MAX_LINE + " bytes");
            if (line == null) {
                throw new Refused(400, "the request ended before its headers did");
            }
            if (line.isEmpty()) {
                return headers;
            }
            bytes += line.length();
            if (count == MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
                throw new Refused(431, "the request has more than " + MAX_HEADERS + " headers or "
                        + MAX_HEADER_BYTES + " bytes of them");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new Refused(400, "a header line must be NAME: VALUE with no space before the colon");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new Refused(400, "the value of " + name + " contains a control character");
            }
            if (headers.putIfAbsent(name, value) != null
                    && (name.equals("host") || name.equals("content-length") || name.equals("transfer-encoding"))) {
                throw new Refused(400, "the request has more than one " + name + " header");
            }
        }
    }

    private static String body(InputStream in, Map<String, String> headers) throws IOException, Refused {
        if (headers.containsKey("transfer-encoding")) {
            throw new Refused(411, "send the body with a Content-Length, not a Transfer-Encoding");
        }
        String length = headers.get("content-length");
        if (length == null) {
            return "";
        }
        if (!LENGTH.matcher(length).matches()) {
            throw new Refused(400, "Content-Length must be a number of bytes");
        }
        long size = Long.parseLong(length);
        if (size > HttpApiEvents.MAX_BODY_BYTES) {
            throw new Refused(413, "the body is larger than " + HttpApiEvents.MAX_BODY_BYTES + " bytes");
        }
        byte[] body = in.readNBytes((int) size);
        if (body.length < size) {
            throw new Refused(400, "the body ended before its Content-Length");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * One line without its CRLF (a bare LF is accepted, RFC 9112 section 2.2); null at the end of the stream
     * before any byte. A line longer than {@link #MAX_LINE} or holding a bare CR or NUL is refused.
     */
    private static String line(InputStream in, int tooLongStatus, String tooLong) throws IOException, Refused {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                if (line.size() == 0) {
                    return null;
                }
                throw new Refused(400, "the request ended in the middle of a line");
            }
            if (line.size() == MAX_LINE) {
                throw new Refused(tooLongStatus, tooLong);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\r' || bytes[i] == 0) {
                throw new Refused(400, "a line of the request contains a bare CR or a NUL byte");
            }
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static void write(OutputStream out, HttpResponse response, boolean head) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        response.headers().forEach((k, v) -> text.append(k).append(": ").append(v).append("\r\n"));
        text.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\nContent-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("portal: closing the socket: {}", e.toString());
        }
        // Interrupting a virtual thread blocked on a socket closes that socket, so no reader outlives close().
        connections.shutdownNow();
        connections.close();
    }
}
