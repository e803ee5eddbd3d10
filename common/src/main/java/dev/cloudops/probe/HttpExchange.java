package dev.cloudops.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One plain HTTP/1.1 GET on a connection the probe opened itself (so DNS, TCP and TLS stay the
 * probe's own layers): no cookies, no credentials, {@code Connection: close}. Reads the status line
 * and headers, then at most {@code maxBodyBytes} of the body, whether sized, chunked or ended by
 * the close.
 */
final class HttpExchange {

    static final String USER_AGENT = "cloudops-agent-probe/1.0";
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** A response: status, header values by lower-case name in the order received, and the body read. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        Optional<String> first(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }
    }

    private HttpExchange() {
    }

    static void sendGet(OutputStream out, URI url) throws IOException {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        String host = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: " + USER_AGENT + "\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads status line and headers, skipping interim (1xx) responses. */
    static Response readHead(InputStream in) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new ProtocolException("the server closed the connection without answering");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
                throw new ProtocolException("not an HTTP status line: '" + printable(statusLine) + "'");
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String header; (header = line(in)) != null && !header.isEmpty(); ) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(header.substring(colon + 1).trim());
                }
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            return new Response(status, headers, new byte[0]);
        }
    }

    /** Reads up to {@code max} bytes of the body that follows {@code head}. */
    static byte[] readBody(InputStream in, Response head, int max) throws IOException {
        if (head.status() == 204 || head.status() == 304) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean chunked = head.first("transfer-encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false);
        if (chunked) {
            while (body.size() < max) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    break;
                }
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    break;
                }
                long wanted = Math.min(size, max - body.size());
                copy(in, body, wanted);
                if (wanted < size) {
                    break; // the limit cut this chunk short
                }
                line(in); // the CRLF after the chunk
            }
        } else {
            long length = head.first("content-length").map(HttpExchange::length).orElse(Long.MAX_VALUE);
            copy(in, body, Math.min(length, max));
        }
        return body.toByteArray();
    }

    private static long length(String value) {
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** One line without its CRLF (or bare LF); null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_HEAD_BYTES) {
                throw new ProtocolException("a response header line is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
