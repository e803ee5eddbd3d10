package dev.cloudops.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one probe has seen so far, layer by layer, and the result of the layer that failed. Kept apart
 * from the layers so they can stay stateless and be shared by every concurrent probe; one per probe,
 * used by the thread running it.
 */
final class ProbeProgress {

    final ProbeSpec spec;
    final WorkTurn turn;
    /** The host of the URL asked for (not of a redirect): the one looked up first and whose certificate is judged. */
    final String host;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    private List<String> dnsAnswers = List.of();
    private CertificateInfo certificate;
    private HttpObservation observation;
    /** Set by the layer that fails; the probe stops there. */
    private ProbeResult done;
    /** Whether the last handshake offering one key share was refused by the server. */
    boolean refusedOneShare;
    /**
     * Time spent on connections whose one-share handshake was refused, queueing left out: the
     * prober's choice, not the site's slowness, so it is left out of the latency.
     */
    long refusedNanos;

    ProbeProgress(ProbeSpec spec, WorkTurn turn, Instant startedAt) {
        this.spec = spec;
        this.turn = turn;
        this.host = spec.url().getHost();
        this.startedAt = startedAt;
    }

    void dnsAnswers(List<String> answers) {
        dnsAnswers = answers;
    }

    CertificateInfo certificate() {
        return certificate;
    }

    void certificate(CertificateInfo info) {
        certificate = info;
    }

    HttpObservation observation() {
        return observation;
    }

    void observation(HttpObservation seen) {
        observation = seen;
    }

    /** The result recorded by the layer that failed, or null while none has. */
    ProbeResult done() {
        return done;
    }

    /** Records that {@code layer} failed, so the probe stops there, and returns that result. */
    ProbeResult fail(Classification classification, Layer layer, String details) {
        done = result(classification, layer, details);
        return done;
    }

    ProbeResult result(Classification classification, Layer layer, String details) {
        return new ProbeResult(spec.url(), classification, layer, details, startedAt,
                Duration.ofNanos(System.nanoTime() - startNanos), dnsAnswers, certificate, observation);
    }
}
