package dev.cloudops.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * Probes one URL layer by layer — DNS, TCP, TLS, HTTP — and stops at the first layer that fails.
 * Thread-safe; one instance (and its one HttpClient) serves every concurrent probe.
 */
public final class Prober {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> EDGE_HEADERS =
            List.of("server", "x-cache", "x-amz-cf-id", "x-amz-cf-pop", "via", "age", "location");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final ProbeSettings settings;
    private final HttpClient http;
    private final DnsProbe dns;
    private final CertificateJudge judge;
    private final Clock clock;

    Prober(ProbeSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.dns = new DnsProbe(settings.resolvers(), settings.dnsTimeout());
        this.judge = new CertificateJudge(settings.trustAnchors());
        this.clock = clock;
    }

    /** A prober with its own HttpClient, which completes every handshake so the certificate can be judged here. */
    public static Prober create(ProbeSettings settings, Clock clock) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new CapturingTrustManager()}, null);
            // Every probe must see the certificate the site serves now: no resumed sessions across runs.
            context.getClientSessionContext().setSessionTimeout(1);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(context)
                    .connectTimeout(settings.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            return new Prober(settings, client, clock);
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** Probes {@code spec.url()}; never throws for anything the site does, only when interrupted. */
    public ProbeResult probe(ProbeSpec spec) throws InterruptedException {
        return new Run(spec).execute();
    }

    /** One probe of one URL, accumulating what each layer saw. */
    private final class Run {
        private final ProbeSpec spec;
        private final String host;
        private final Instant startedAt = clock.instant();
        private final long startNanos = System.nanoTime();
        private List<String> dnsAnswers = List.of();
        private CertificateInfo certificate;
        private HttpObservation observation;
        /** Set by the layer that fails; the probe stops there. */
        private ProbeResult done;

        Run(ProbeSpec spec) {
            this.spec = spec;
            this.host = spec.url().getHost();
        }

        ProbeResult execute() throws InterruptedException {
            Optional<InetAddress> address = resolve();
            if (address.isEmpty()) {
                return done;
            }
            if (!connect(address.get())) {
                return done;
            }
            return request();
        }

        private Optional<InetAddress> resolve() throws InterruptedException {
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (IPV4.matcher(bare).matches() || bare.contains(":")) {
                try {
                    dnsAnswers = List.of(bare + " is an IP address; no lookup");
                    return Optional.of(InetAddress.getByName(bare));
                } catch (UnknownHostException e) {
                    fail(Classification.DNS_FAILURE, Layer.DNS, "DNS: " + bare + " is not a valid IP address");
                    return Optional.empty();
                }
            }
            DnsProbe.Outcome outcome = dns.resolve(host);
            dnsAnswers = outcome.answers();
            String from = " (resolver " + outcome.resolver() + ")";
            switch (outcome.status()) {
                case RESOLVED -> {
                    // Prefer IPv4: it is what most clients and the HTTP layer below use.
                    return Optional.of(outcome.addresses().stream()
                            .filter(a -> a.getAddress().length == 4).findFirst()
                            .orElse(outcome.addresses().getFirst()));
                }
                case NXDOMAIN -> fail(Classification.DNS_FAILURE, Layer.DNS,
                        "DNS: " + host + " does not exist (NXDOMAIN)" + from);
                case SERVFAIL -> fail(Classification.DNS_FAILURE, Layer.DNS,
                        "DNS: the lookup of " + host + " failed (SERVFAIL: the zone's name servers did not answer "
                                + "properly or DNSSEC validation failed)" + from);
                case NO_ANSWER -> fail(Classification.DNS_FAILURE, Layer.DNS,
                        "DNS: " + host + " exists but has no A or AAAA record" + from);
                case REFUSED -> fail(Classification.DNS_FAILURE, Layer.DNS,
                        "DNS: the resolver refused to look up " + host + " (" + String.join("; ", outcome.answers())
                                + ")" + from);
                case TIMEOUT -> fail(Classification.TIMEOUT, Layer.DNS,
                        "DNS: no answer for " + host + " within " + seconds(settings.dnsTimeout()) + " from "
                                + settings.resolvers().size() + (settings.resolvers().size() == 1 ? " resolver"
                                : " resolvers") + " (last " + outcome.resolver() + ")");
            }
            return Optional.empty();
        }

        private boolean connect(InetAddress address) throws InterruptedException {
            String target = (address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress()) + ":" + spec.port();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, spec.port()),
                        (int) settings.connectTimeout().toMillis());
                return true;
            } catch (SocketTimeoutException e) {
                checkInterrupt();
                fail(Classification.TIMEOUT, Layer.TCP, "TCP: the connection to " + target + " did not open within "
                        + seconds(settings.connectTimeout()));
            } catch (ConnectException e) {
                checkInterrupt();
                fail(Classification.TCP_FAILURE, Layer.TCP, "TCP: the connection to " + target + " was refused");
            } catch (IOException e) {
                checkInterrupt();
                fail(Classification.TCP_FAILURE, Layer.TCP, "TCP: cannot connect to " + target + ": " + e.getMessage());
            }
            return false;
        }

        private ProbeResult request() throws InterruptedException {
            URI url = spec.url();
            List<URI> redirects = new ArrayList<>();
            CertificateJudge.Verdict tlsVerdict = null;
            long sent = System.nanoTime();
            while (true) {
                HttpResponse<InputStream> response;
                try {
                    response = http.send(HttpRequest.newBuilder(url)
                            .GET()
                            .timeout(settings.requestTimeout())
                            .header("User-Agent", "cloudops-agent-probe/1.0")
                            .build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    return transportFailure(url, e);
                }
                if (tlsVerdict == null && spec.tls()) {
                    tlsVerdict = judgeTls(response);
                }
                byte[] body = readBody(response);
                Duration latency = Duration.ofNanos(System.nanoTime() - sent);
                Optional<String> location = response.headers().firstValue("location");
                if (spec.followRedirects() && REDIRECTS.contains(response.statusCode()) && location.isPresent()
                        && redirects.size() < ProbeSpec.MAX_REDIRECTS) {
                    url = url.resolve(location.get());
                    redirects.add(url);
                    continue;
                }
                observation = new HttpObservation(response.statusCode(), latency, edgeHeaders(response), url,
                        redirects);
                return judgeHttp(tlsVerdict, body, latency);
            }
        }

        private CertificateJudge.Verdict judgeTls(HttpResponse<?> response) {
            Optional<SSLSession> session = response.sslSession();
            if (session.isEmpty()) {
                return null;
            }
            try {
                Certificate[] peer = session.get().getPeerCertificates();
                X509Certificate[] chain = Arrays.stream(peer)
                        .filter(X509Certificate.class::isInstance)
                        .map(X509Certificate.class::cast)
                        .toArray(X509Certificate[]::new);
                if (chain.length == 0) {
                    return null;
                }
                CertificateJudge.Verdict verdict = judge.judge(chain, host, session.get().getProtocol(),
                        clock.instant(), spec.certWarningDays());
                certificate = verdict.info();
                return verdict;
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }

        private ProbeResult judgeHttp(CertificateJudge.Verdict tls, byte[] body, Duration latency) {
            if (tls != null && tls.failure() != null && tls.failure() != Classification.CERT_EXPIRING) {
                return fail(tls.failure(), Layer.TLS, tls.details());
            }
            int status = observation.status();
            URI finalUrl = observation.finalUrl();
            if (!spec.expectedStatuses().contains(status)) {
                return fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: " + finalUrl + " answered " + status
                        + " (expected " + describe(spec.expectedStatuses()) + ")" + edgeSummary());
            }
            if (spec.bodyPattern() != null
                    && !spec.bodyPattern().matcher(new String(body, StandardCharsets.UTF_8)).find()) {
                return fail(Classification.CONTENT_MISMATCH, Layer.HTTP, "HTTP: the body of " + finalUrl
                        + " does not contain '" + spec.bodyPattern().pattern() + "' (" + body.length + " bytes read)");
            }
            if (latency.compareTo(spec.latencyThreshold()) > 0) {
                return fail(Classification.PERFORMANCE, Layer.HTTP, "HTTP: " + finalUrl + " answered in "
                        + millis(latency) + ", above the " + millis(spec.latencyThreshold()) + " threshold");
            }
            if (tls != null && tls.failure() == Classification.CERT_EXPIRING) {
                return fail(Classification.CERT_EXPIRING, Layer.TLS, tls.details());
            }
            String certificateNote = certificate == null ? ""
                    : ", certificate valid " + certificate.daysLeft() + " more days";
            return result(Classification.HEALTHY, null, "healthy: HTTP " + status + " in " + millis(latency)
                    + certificateNote);
        }

        private ProbeResult transportFailure(URI url, IOException e) throws InterruptedException {
            checkInterrupt();
            if (e instanceof HttpConnectTimeoutException) {
                Layer layer = spec.tls() ? Layer.TLS : Layer.TCP;
                return fail(Classification.TIMEOUT, layer, (spec.tls() ? "TLS: the handshake with " : "TCP: ")
                        + url.getHost() + " did not complete within " + seconds(settings.connectTimeout()));
            }
            if (e instanceof HttpTimeoutException) {
                return fail(Classification.TIMEOUT, Layer.HTTP, "HTTP: no response from " + url + " within "
                        + seconds(settings.requestTimeout()));
            }
            SSLException ssl = cause(e, SSLException.class);
            if (ssl != null) {
                return fail(Classification.TLS_ERROR, Layer.TLS, "TLS: the handshake with " + url.getHost()
                        + " failed: " + ssl.getMessage());
            }
            if (cause(e, ConnectException.class) != null) {
                return fail(Classification.TCP_FAILURE, Layer.TCP, "TCP: the connection to " + url.getHost() + ":"
                        + (url.getPort() == -1 ? spec.port() : url.getPort()) + " was refused");
            }
            return fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: the request to " + url + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }

        private byte[] readBody(HttpResponse<InputStream> response) throws InterruptedException {
            try (InputStream in = response.body()) {
                return in.readNBytes(settings.maxBodyBytes());
            } catch (IOException e) {
                checkInterrupt();
                return new byte[0];
            }
        }

        private Map<String, String> edgeHeaders(HttpResponse<?> response) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : EDGE_HEADERS) {
                response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
            }
            return headers;
        }

        private String edgeSummary() {
            if (observation.headers().isEmpty()) {
                return "";
            }
            StringBuilder s = new StringBuilder(";");
            observation.headers().forEach((k, v) -> {
                if (!k.equals("location")) {
                    s.append(' ').append(k).append(": ").append(v).append(',');
                }
            });
            return s.charAt(s.length() - 1) == ',' ? s.substring(0, s.length() - 1) : "";
        }

        private ProbeResult fail(Classification classification, Layer layer, String details) {
            done = result(classification, layer, details);
            return done;
        }

        private ProbeResult result(Classification classification, Layer layer, String details) {
            return new ProbeResult(spec.url(), classification, layer, details, startedAt,
                    Duration.ofNanos(System.nanoTime() - startNanos), dnsAnswers, certificate, observation);
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("probe interrupted");
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String describe(Set<Integer> statuses) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer previous = null;
        for (int s : new TreeSet<>(statuses)) {
            if (previous != null && s == previous + 1) {
                previous = s;
                continue;
            }
            if (start != null) {
                parts.add(start.equals(previous) ? start.toString() : start + "-" + previous);
            }
            start = s;
            previous = s;
        }
        if (start != null) {
            parts.add(start.equals(previous) ? start.toString() : start + "-" + previous);
        }
        return String.join(", ", parts);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String millis(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
