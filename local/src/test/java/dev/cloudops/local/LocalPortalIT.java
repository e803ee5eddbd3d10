package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.probe.TestSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local runner's review portal over a raw socket: a request it cannot parse is answered by the portal
 * itself, with its own error page and the security headers every page carries, never by a default page.
 */
class LocalPortalIT {

    private static final List<String> SECURITY_HEADERS = List.of("content-security-policy", "x-content-type-options",
            "x-frame-options", "referrer-policy", "cache-control");

    @TempDir
    Path dir;

    private final TestSite site = TestSite.http();
    private LocalPipeline pipeline;

    /** One answer as it came off the wire. */
    private record Answer(String statusLine, Map<String, String> headers, String body) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @BeforeEach
    void start() throws IOException {
        site.switchUp(true);
        Path config = dir.resolve("cloudops.yaml");
        Files.writeString(config, """
                data_dir: data
                portal: {host: 127.0.0.1, port: 0}
                probe_interval: 60s
                targets:
                  - url: %s
                """.formatted(site.url("127.0.0.1", "/switch")));
        pipeline = LocalPipeline.start(LocalConfig.load(config), Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        pipeline.close();
        site.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /alerts/%ZZ HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /a b c HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /alerts/01JABC\r\nHost: localhost\r\n\r\n",
            "GET /alerts/01JABC HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n",
            "GET /alerts/01JABC HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n",
            "GET /alerts/01JABC HTTP/1.1\r\n\r\n",
            "GET /alerts/01J\u00e9 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /alerts/01JABC FOO/9\r\nHost: localhost\r\n\r\n",
            "POST /alerts/01JABC/decision HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 7\r\n"
                    + "\r\nabcde",
    })
    void aMalformedRequest_isAnsweredWithThePortalsOwn400Page_andItsSecurityHeaders(String request) throws Exception {
        Answer normal = normalPage();

        Answer answer = send(request);

        assertThat(answer.status()).as(answer.statusLine()).isEqualTo(400);
        assertThat(answer.body()).contains("<section id=\"outcome\">", "· cloudops-agent</title>", "Bad request");
        assertThat(answer.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
        for (String header : SECURITY_HEADERS) {
            assertThat(answer.headers().get(header)).as(header).isNotBlank().isEqualTo(normal.headers().get(header));
        }
    }

    @Test
    void anAbsurdlyLongUri_isAnsweredWith414_onThePortalsOwnPage() throws Exception {
        Answer normal = normalPage();

        Answer answer = send("GET /alerts/" + "A".repeat(100_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.body()).contains("<section id=\"outcome\">", "the request line is longer than 8192 bytes");
        for (String header : SECURITY_HEADERS) {
            assertThat(answer.headers().get(header)).as(header).isNotBlank().isEqualTo(normal.headers().get(header));
        }
    }

    @Test
    void aWellFormedRawRequest_stillReachesTheRoutes() throws Exception {
        Answer answer = send("GET /alerts/01JNOSUCHALERT?t=nonsense HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("<section id=\"outcome\">").doesNotContain("Bad request");
    }

    /** A page the routes render, for the headers every page carries. */
    private Answer normalPage() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(pipeline.portalUrl() + "/alerts/01JNOSUCHALERT")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> headers = new TreeMap<>();
        page.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
        assertThat(headers.get("content-security-policy")).startsWith("default-src 'none'");
        return new Answer("HTTP/1.1 " + page.statusCode(), headers, page.body());
    }

    private Answer send(String request) throws IOException {
        URI portal = pipeline.portalUrl();
        try (Socket socket = new Socket(portal.getHost(), portal.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = raw.indexOf("\r\n\r\n");
            assertThat(end).as("a complete answer: %s", raw).isPositive();
            String[] lines = raw.substring(0, end).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            return new Answer(lines[0], headers, raw.substring(end + 4));
        }
    }
}
