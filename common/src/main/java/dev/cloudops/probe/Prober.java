package dev.cloudops.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocket;

/**
 * Probes one URL layer by layer — DNS, TCP, TLS, HTTP — and stops at the first layer that fails.
 * Each layer runs on the probe's own connection, so what fails is the layer that failed. Thread-safe;
 * one instance serves every concurrent probe.
 *
 * <p>This class schedules a probe's steps: the order of the layers, the redirects followed, the
 * second handshake when the first is refused, and when the probe holds its turn at the CPU. Each layer
 * is a class of its own ({@link DnsStep}, {@link TcpStep}, {@link TlsStep}, {@link HttpStep}, and
 * {@link ResponseClassifier} judging the answer).
 */
public final class Prober {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final ProbeSettings settings;
    private final DnsStep dns;
    private final TcpStep tcp;
    private final TlsStep tls;
    private final HttpStep http;
    private final ResponseClassifier classifier;
    private final Clock clock;

    private Prober(ProbeSettings settings, TlsStep tls, Clock clock) {
        this.settings = settings;
        this.dns = new DnsStep(settings);
        this.tcp = new TcpStep(settings);
        this.tls = tls;
        this.http = new HttpStep(settings);
        this.classifier = new ResponseClassifier();
        this.clock = clock;
    }

    /** A prober that completes every handshake, so the certificate can be judged here. */
    public static Prober create(ProbeSettings settings, Clock clock) {
        return new Prober(settings, new TlsStep(settings, TlsStep.completingEveryHandshake(), clock), clock);
    }

    /** Probes {@code spec.url()}; never throws for anything the site does, only when interrupted. */
    public ProbeResult probe(ProbeSpec spec) throws InterruptedException {
        return probe(spec, WorkTurn.unlimited());
    }

    /** The connect timeout, which also bounds a TLS handshake; the run judges its own load against it. */
    Duration connectTimeout() {
        return settings.connectTimeout();
    }

    /** Probes {@code spec.url()} taking {@code turn} at the CPU only while computing. */
    ProbeResult probe(ProbeSpec spec, WorkTurn turn) throws InterruptedException {
        ProbeProgress probe = new ProbeProgress(spec, turn, clock.instant());
        Optional<InetAddress> address = dns.resolve(probe);
        if (address.isEmpty()) {
            return probe.done();
        }
        return fetch(probe, address.get());
    }

    /** Statuses as ranges, in order: {@code 200-202, 204}. */
    static String describe(Set<Integer> statuses) {
        return ResponseClassifier.describe(statuses);
    }

    /** Fetches {@code spec.url()} (and the redirects it may follow), each on a connection of its own. */
    private ProbeResult fetch(ProbeProgress probe, InetAddress firstAddress) throws InterruptedException {
        ProbeSpec spec = probe.spec;
        WorkTurn turn = probe.turn;
        URI url = spec.url();
        InetAddress address = firstAddress;
        List<URI> redirects = new ArrayList<>();
        CertificateJudge.Verdict tlsVerdict = null;
        long sent = System.nanoTime();
        long queuedBefore = turn.queuedNanos();
        while (true) {
            HttpStep.Hop hop = hop(probe, url, address, spec.tls() && redirects.isEmpty());
            if (hop == null) {
                return probe.done();
            }
            if (hop.tls() != null) {
                tlsVerdict = hop.tls();
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - sent - (turn.queuedNanos() - queuedBefore)
                    - probe.refusedNanos);
            Optional<String> location = hop.response().first("location");
            if (spec.followRedirects() && REDIRECTS.contains(hop.response().status()) && location.isPresent()
                    && redirects.size() < ProbeSpec.MAX_REDIRECTS) {
                URI next = url.resolve(location.get());
                if (next.getHost() == null) {
                    return probe.fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: " + url + " redirects to '"
                            + location.get() + "', which is not a web address");
                }
                if (!next.getHost().equalsIgnoreCase(url.getHost())) {
                    Optional<InetAddress> nextAddress = dns.redirectAddress(probe, next);
                    if (nextAddress.isEmpty()) {
                        return probe.done();
                    }
                    address = nextAddress.get();
                }
                url = next;
                redirects.add(url);
                continue;
            }
            probe.observation(new HttpObservation(hop.response().status(), latency,
                    classifier.edgeHeaders(hop.response()), url, redirects));
            return classifier.classify(probe, tlsVerdict, hop.body(), latency);
        }
    }

    /**
     * One GET on its own connection: TCP, TLS for https, then HTTP. Returns null when a layer
     * failed (recorded in the probe). Holds the probe's turn at the CPU except while waiting on
     * the peer.
     */
    private HttpStep.Hop hop(ProbeProgress probe, URI url, InetAddress address, boolean judgeCertificate)
            throws InterruptedException {
        probe.turn.connecting();
        try {
            return exchange(probe, url, address, judgeCertificate);
        } finally {
            probe.turn.closing();
        }
    }

    private HttpStep.Hop exchange(ProbeProgress probe, URI url, InetAddress address, boolean judgeCertificate)
            throws InterruptedException {
        WorkTurn turn = probe.turn;
        boolean secure = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
        long begun = System.nanoTime();
        long queuedBefore = turn.queuedNanos();
        PeerSocket socket = tcp.connect(probe, address, port);
        if (socket == null) {
            return null;
        }
        try {
            turn.take();
            Socket channel = socket;
            CertificateJudge.Verdict verdict = null;
            if (secure) {
                SSLSocket secured = tls.handshake(probe, socket, url.getHost(), port, true);
                if (secured == null && probe.refusedOneShare) {
                    probe.refusedNanos += System.nanoTime() - begun - (turn.queuedNanos() - queuedBefore);
                    ProbeIo.closeQuietly(socket);
                    turn.give();
                    socket = tcp.connect(probe, address, port);
                    if (socket == null) {
                        return null;
                    }
                    turn.take();
                    secured = tls.handshake(probe, socket, url.getHost(), port, false);
                }
                if (secured == null) {
                    return null;
                }
                channel = secured;
                if (judgeCertificate) {
                    verdict = tls.judge(probe, secured.getSession());
                }
            }
            turn.answered(System.nanoTime() - begun - (turn.queuedNanos() - queuedBefore));
            return http.get(socket, channel, url, verdict);
        } catch (IOException e) {
            http.transportFailure(probe, url, e);
            return null;
        } finally {
            turn.give();
            if (socket != null) {
                ProbeIo.closeQuietly(socket);
            }
        }
    }
}
