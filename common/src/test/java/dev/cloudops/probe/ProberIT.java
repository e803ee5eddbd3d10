package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every classification, produced by real sockets, certificates and DNS messages on loopback. */
class ProberIT {

    private static final Set<Integer> OK = Set.of(200);

    private static TestCertificates certificates;
    private static FakeDnsServer dns;
    private static TestSite valid;
    private static TestSite expired;
    private static TestSite expiring;
    private static TestSite wrongHost;
    private static TestSite selfSigned;
    private static TestSite plainHttp;
    private static Prober prober;

    @BeforeAll
    static void start() {
        certificates = new TestCertificates();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        dns = new FakeDnsServer()
                .address("localhost", loopback)
                .behave("missing.test", FakeDnsServer.Behaviour.NXDOMAIN)
                .behave("broken.test", FakeDnsServer.Behaviour.SERVFAIL)
                .behave("empty.test", FakeDnsServer.Behaviour.NO_ANSWER)
                .behave("silent.test", FakeDnsServer.Behaviour.SILENT);
        valid = TestSite.https(certificates.leaf(Duration.ofDays(90), "localhost", "127.0.0.1").serverContext());
        expired = TestSite.https(certificates.leaf(Duration.ofDays(-3), "localhost").serverContext());
        expiring = TestSite.https(certificates.leaf(Duration.ofDays(5).plusHours(1), "localhost").serverContext());
        wrongHost = TestSite.https(certificates.leaf(Duration.ofDays(90), "other.example").serverContext());
        selfSigned = TestSite.https(certificates.selfSigned("localhost").serverContext());
        plainHttp = TestSite.http();
        prober = Prober.create(new ProbeSettings(List.of(dns.endpoint()), Duration.ofMillis(300),
                Duration.ofMillis(800), Duration.ofMillis(800), 1 << 20, certificates.anchors()),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {valid, expired, expiring, wrongHost, selfSigned, plainHttp, dns}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort at the end of the class
            }
        }
    }

    @Test
    void healthySite_isHealthy_withWhatEachLayerSaw() throws Exception {
        ProbeResult result = prober.probe(spec(valid.url("localhost", "/"), Pattern.compile("Welcome")));

        assertThat(result.classification()).isEqualTo(Classification.HEALTHY);
        assertThat(result.failedLayer()).isNull();
        assertThat(result.dnsAnswers()).singleElement().asString().contains("localhost.", "127.0.0.1");
        assertThat(result.certificate().daysLeft()).isBetween(88L, 90L);
        assertThat(result.certificate().names()).contains("localhost");
        assertThat(result.certificate().trustProblem()).isNull();
        assertThat(result.http().status()).isEqualTo(200);
        assertThat(result.details()).startsWith("healthy: HTTP 200 in ");
    }

    @Test
    void nxdomain_isADnsFailure() throws Exception {
        ProbeResult result = prober.probe(spec(URI.create("https://missing.test/"), null));

        assertThat(result.classification()).isEqualTo(Classification.DNS_FAILURE);
        assertThat(result.failedLayer()).isEqualTo(Layer.DNS);
        assertThat(result.details()).contains("missing.test does not exist (NXDOMAIN)");
    }

    @Test
    void servfail_isADnsFailure_toldApartFromNxdomain() throws Exception {
        ProbeResult result = prober.probe(spec(URI.create("https://broken.test/"), null));

        assertThat(result.classification()).isEqualTo(Classification.DNS_FAILURE);
        assertThat(result.details()).contains("SERVFAIL").doesNotContain("NXDOMAIN");
    }

    @Test
    void anEmptyAnswer_isADnsFailure_sayingThereIsNoAddress() throws Exception {
        ProbeResult result = prober.probe(spec(URI.create("https://empty.test/"), null));

        assertThat(result.classification()).isEqualTo(Classification.DNS_FAILURE);
        assertThat(result.details()).contains("empty.test exists but has no A or AAAA record");
    }

    @Test
    void aSilentResolver_isADnsTimeout() throws Exception {
        ProbeResult result = prober.probe(spec(URI.create("https://silent.test/"), null));

        assertThat(result.classification()).as(result.details()).isEqualTo(Classification.TIMEOUT);
        assertThat(result.failedLayer()).isEqualTo(Layer.DNS);
        assertThat(result.details()).contains("no answer for silent.test within 0.3 s");
    }

    @Test
    void aResolverNothingListensOn_isADnsFailure_atOnce_notATimeout() throws Exception {
        InetSocketAddress closed = closedUdpPort();
        Prober askingNobody = Prober.create(new ProbeSettings(List.of(closed), Duration.ofSeconds(5),
                Duration.ofMillis(800), Duration.ofMillis(800), 1 << 20, certificates.anchors()), Clock.systemUTC());

        ProbeResult result = askingNobody.probe(spec(URI.create("https://silent.test/"), null));

        assertThat(result.classification()).isEqualTo(Classification.DNS_FAILURE);
        assertThat(result.failedLayer()).isEqualTo(Layer.DNS);
        assertThat(result.details()).isEqualTo("DNS: silent.test could not be looked up: the resolver cannot be asked "
                + "(nothing answers DNS there: ICMP port unreachable) (resolver " + closed.getHostString() + ":"
                + closed.getPort() + ")");
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aResolverThatCannotBeAsked_isPassedOver_forTheNextOne() throws Exception {
        Prober secondAnswers = Prober.create(new ProbeSettings(List.of(closedUdpPort(), dns.endpoint()),
                Duration.ofSeconds(5), Duration.ofMillis(800), Duration.ofMillis(800), 1 << 20, certificates.anchors()),
                Clock.systemUTC());

        ProbeResult result = secondAnswers.probe(spec(valid.url("localhost", "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.HEALTHY);
        assertThat(result.dnsAnswers()).singleElement().asString().contains("localhost.", "127.0.0.1");
    }

    @Test
    void aClosedPort_isATcpFailure() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }

        ProbeResult result = prober.probe(spec(URI.create("https://localhost:" + closed + "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.TCP_FAILURE);
        assertThat(result.failedLayer()).isEqualTo(Layer.TCP);
        assertThat(result.details()).isEqualTo("TCP: the connection to 127.0.0.1:" + closed + " was refused");
    }

    @Test
    void aListenerWhoseQueueIsFull_isATcpTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = fill(full.getLocalPort());
            try {
                ProbeResult result = prober.probe(spec(URI.create("https://127.0.0.1:" + full.getLocalPort() + "/"),
                        null));

                assertThat(result.classification()).isEqualTo(Classification.TIMEOUT);
                assertThat(result.failedLayer()).isEqualTo(Layer.TCP);
                assertThat(result.details()).contains("did not open within 0.8 s");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aServerThatAnswersTheHandshakeWithGarbage_isATlsError() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerWithPlainHttp(garbage));

            ProbeResult result = prober.probe(spec(URI.create("https://localhost:" + garbage.getLocalPort() + "/"),
                    null));

            assertThat(result.classification()).isEqualTo(Classification.TLS_ERROR);
            assertThat(result.failedLayer()).isEqualTo(Layer.TLS);
            assertThat(result.details()).startsWith("TLS: the handshake with localhost failed");
        }
    }

    @Test
    void aServerWithX25519_completesTheFirstHandshake_offeringOneKeyShare() throws Exception {
        Probed probed = probeSiteOffering("x25519");

        assertThat(probed.result().classification()).isEqualTo(Classification.HEALTHY);
        assertThat(probed.connections()).as("one connection: the first ClientHello suited it").isEqualTo(1);
    }

    @Test
    void aServerWithoutX25519_isAskedAgainWithEveryGroup_onANewConnection() throws Exception {
        Probed probed = probeSiteOffering("secp256r1");

        assertThat(probed.result().classification()).as(probed.result().details()).isEqualTo(Classification.HEALTHY);
        assertThat(probed.result().certificate()).isNotNull();
        assertThat(probed.connections()).as("the first ClientHello offered no P-256 group, the second did").isEqualTo(2);
    }

    @Test
    void theRefusedFirstHandshake_isLeftOutOfTheLatency() throws Exception {
        // The site takes 600 ms to refuse the first ClientHello, then answers the second at once.
        Probed probed = probeSiteOffering(Duration.ofMillis(600), "secp256r1");

        assertThat(probed.result().classification()).as(probed.result().details()).isEqualTo(Classification.HEALTHY);
        assertThat(probed.connections()).isEqualTo(2);
        assertThat(probed.result().elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(probed.result().http().latency()).isLessThan(Duration.ofMillis(600));
    }

    @Test
    void aServerThatRefusesEveryHandshake_isATlsError_afterAskingWithEveryGroup() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerWithHandshakeFailure(refusing, accepted));

            ProbeResult result = prober.probe(spec(URI.create("https://localhost:" + refusing.getLocalPort() + "/"),
                    null));

            assertThat(result.classification()).isEqualTo(Classification.TLS_ERROR);
            assertThat(result.details()).startsWith("TLS: the handshake with localhost failed")
                    .contains("handshake_failure");
            assertThat(accepted).hasValue(2);
        }
    }

    @Test
    void aServerThatNeverCompletesTheHandshake_isATlsTimeout() throws Exception {
        // A plain HTTP server waits for a request line that a TLS client never sends.
        ProbeResult result = prober.probe(spec(URI.create("https://localhost:" + plainHttp.port() + "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.TIMEOUT);
        assertThat(result.failedLayer()).isEqualTo(Layer.TLS);
        assertThat(result.details()).isEqualTo("TLS: the handshake with localhost did not complete within 0.8 s");
    }

    @Test
    void aSelfSignedCertificate_isATlsError() throws Exception {
        ProbeResult result = prober.probe(spec(selfSigned.url("localhost", "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.TLS_ERROR);
        assertThat(result.details()).contains("not trusted: it is self-signed (CN=localhost)");
    }

    @Test
    void aCertificateForAnotherHost_isATlsError_namingWhatItCovers() throws Exception {
        ProbeResult result = prober.probe(spec(wrongHost.url("localhost", "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.TLS_ERROR);
        assertThat(result.details()).isEqualTo("TLS: the certificate does not cover localhost (it covers: other.example)");
        assertThat(result.certificate().coversHost()).isFalse();
    }

    @Test
    void anExpiredCertificate_isCertExpired() throws Exception {
        ProbeResult result = prober.probe(spec(expired.url("localhost", "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.CERT_EXPIRED);
        assertThat(result.failedLayer()).isEqualTo(Layer.TLS);
        assertThat(result.details())
                .contains("expired on " + minute(result.certificate().notAfter()) + " (3 days ago)");
    }

    @Test
    void aCertificateExpiringInFiveDays_isCertExpiring_whenTheSiteIsOtherwiseUp() throws Exception {
        ProbeResult result = prober.probe(spec(expiring.url("localhost", "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.CERT_EXPIRING);
        assertThat(result.details()).contains("expires on " + minute(result.certificate().notAfter())
                + " (in 5 days; warning at 14)");
        assertThat(result.http().status()).isEqualTo(200);
    }

    @Test
    void aServerError_isAnHttpError_withTheEdgeHeaders() throws Exception {
        ProbeResult result = prober.probe(spec(valid.url("localhost", "/down"), null));

        assertThat(result.classification()).isEqualTo(Classification.HTTP_ERROR);
        assertThat(result.failedLayer()).isEqualTo(Layer.HTTP);
        assertThat(result.details()).contains("answered 503 (expected 200)", "x-cache: Error from cloudfront");
        assertThat(result.http().headers()).containsEntry("x-amz-cf-id", "abc123==");
    }

    @Test
    void aServerThatNeverAnswers_isAnHttpTimeout() throws Exception {
        ProbeResult result = prober.probe(spec(valid.url("localhost", "/hang"), null));

        assertThat(result.classification()).isEqualTo(Classification.TIMEOUT);
        assertThat(result.failedLayer()).isEqualTo(Layer.HTTP);
        assertThat(result.details()).contains("no response from").contains("within 0.8 s");
    }

    @Test
    void aSlowAnswer_isAPerformanceProblem() throws Exception {
        ProbeSpec slow = new ProbeSpec(valid.url("localhost", "/slow"), OK, null, Duration.ofMillis(200), 14, true);

        ProbeResult result = prober.probe(slow);

        assertThat(result.classification()).isEqualTo(Classification.PERFORMANCE);
        assertThat(result.details()).contains("above the 200 ms threshold");
        assertThat(result.http().latency()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void aMissingKeyword_isAContentMismatch() throws Exception {
        ProbeResult result = prober.probe(spec(valid.url("localhost", "/plain"), Pattern.compile("Welcome")));

        assertThat(result.classification()).isEqualTo(Classification.CONTENT_MISMATCH);
        assertThat(result.details()).contains("does not contain 'Welcome'");
    }

    @Test
    void redirects_areFollowed_whenAllowed_andJudgedAsAnswered_whenNot() throws Exception {
        URI redirecting = valid.url("localhost", "/redirect");

        ProbeResult followed = prober.probe(spec(redirecting, Pattern.compile("Welcome")));
        ProbeResult notFollowed = prober.probe(new ProbeSpec(redirecting, OK, null, Duration.ofSeconds(3), 14, false));

        assertThat(followed.classification()).isEqualTo(Classification.HEALTHY);
        assertThat(followed.http().redirects()).containsExactly(valid.url("localhost", "/"));
        assertThat(notFollowed.classification()).isEqualTo(Classification.HTTP_ERROR);
        assertThat(notFollowed.details()).contains("answered 302");
    }

    @Test
    void plainHttp_skipsTheTlsLayer() throws Exception {
        ProbeResult result = prober.probe(spec(plainHttp.url("127.0.0.1", "/"), null));

        assertThat(result.classification()).isEqualTo(Classification.HEALTHY);
        assertThat(result.certificate()).isNull();
        assertThat(result.dnsAnswers()).containsExactly("127.0.0.1 is an IP address; no lookup");
    }

    @Test
    void everyLayer_runsOnOneConnection() throws Exception {
        try (ServerSocket counting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!counting.isClosed()) {
                    try (Socket s = counting.accept()) {
                        accepted.incrementAndGet();
                        s.getInputStream().read(new byte[1024]);
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nWelcome".getBytes());
                    } catch (IOException e) {
                        return;
                    }
                }
            });

            ProbeResult result = prober.probe(spec(URI.create("http://127.0.0.1:" + counting.getLocalPort() + "/"),
                    Pattern.compile("Welcome")));

            assertThat(result.classification()).isEqualTo(Classification.HEALTHY);
            assertThat(accepted).as("the TCP check is the connection the request uses").hasValue(1);
        }
    }

    @Test
    void aRedirectToAnotherHost_isLookedUpThroughTheSameResolvers() throws Exception {
        try (ServerSocket redirecting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!redirecting.isClosed()) {
                    try (Socket s = redirecting.accept()) {
                        s.getInputStream().read(new byte[1024]);
                        s.getOutputStream().write(("HTTP/1.1 301 Moved Permanently\r\nLocation: https://missing.test/"
                                + "\r\nContent-Length: 0\r\n\r\n").getBytes());
                    } catch (IOException e) {
                        return;
                    }
                }
            });

            ProbeResult result = prober.probe(spec(URI.create("http://127.0.0.1:" + redirecting.getLocalPort() + "/"),
                    null));

            assertThat(result.classification()).isEqualTo(Classification.HTTP_ERROR);
            assertThat(result.details()).isEqualTo("HTTP: the redirect to https://missing.test/ cannot be followed: "
                    + "missing.test does not resolve (NXDOMAIN)");
        }
    }

    /** A loopback UDP port nothing listens on (just released), so a datagram there draws ICMP port unreachable. */
    private static InetSocketAddress closedUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    private static ProbeSpec spec(URI url, Pattern keyword) {
        return new ProbeSpec(url, OK, keyword, Duration.ofSeconds(3), 14, true);
    }

    private static void answerWithPlainHttp(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
                s.getOutputStream().flush();
                s.getInputStream().read(new byte[512]);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A probe's result and how many connections its site accepted. */
    private record Probed(ProbeResult result, int connections) {
    }

    /** Probes, for "Welcome", a TLS site that offers only {@code groups}. */
    private static Probed probeSiteOffering(String... groups) throws Exception {
        return probeSiteOffering(Duration.ZERO, groups);
    }

    /** The same, the site waiting {@code firstWait} before it reads its first connection. */
    private static Probed probeSiteOffering(Duration firstWait, String... groups) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (SSLServerSocket site = tlsSite(accepted, firstWait, groups)) {
            ProbeResult result = prober.probe(spec(URI.create("https://localhost:" + site.getLocalPort() + "/"),
                    Pattern.compile("Welcome")));
            return new Probed(result, accepted.get());
        }
    }

    /** A TLS site offering only {@code groups} that answers 200 Welcome, counting the connections it accepts. */
    private static SSLServerSocket tlsSite(AtomicInteger accepted, Duration firstWait, String... groups)
            throws IOException {
        SSLServerSocket site = (SSLServerSocket) certificates.leaf(Duration.ofDays(90), "localhost").serverContext()
                .getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = site.getSSLParameters();
        parameters.setNamedGroups(groups);
        site.setSSLParameters(parameters);
        Thread.ofVirtual().start(() -> {
            while (!site.isClosed()) {
                Socket connection;
                try {
                    connection = site.accept();
                } catch (IOException e) {
                    return;
                }
                if (accepted.incrementAndGet() == 1) {
                    TestSite.sleep(firstWait.toMillis());
                }
                try (connection) {
                    connection.getInputStream().read(new byte[4096]); // the handshake, then the request
                    connection.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nWelcome"
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // a handshake this site refused: the next connection may offer what it has
                }
            }
        });
        return site;
    }

    /** Answers every ClientHello with a fatal handshake_failure alert, as a server with nothing in common does. */
    private static void answerWithHandshakeFailure(ServerSocket server, AtomicInteger accepted) {
        byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                accepted.incrementAndGet();
                s.getInputStream().read(new byte[4096]);
                s.getOutputStream().write(alert);
                s.getOutputStream().flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Opens connections that the listener never accepts until its queue is full. */
    private static List<Socket> fill(int port) {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket();
            sockets.add(s);
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            } catch (IOException full) {
                break;
            }
        }
        return sockets;
    }

    /** The moment as the details give it: to the minute, in UTC. */
    private static String minute(Instant moment) {
        return DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(moment);
    }
}
