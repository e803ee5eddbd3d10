package dev.cloudops.probe;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of probing one URL: the classification, the layer that failed (null when healthy), a
 * plain-words account naming that layer and value, and what each layer observed (null where a layer
 * was not reached).
 */
public record ProbeResult(
        URI url,
        Classification classification,
        Layer failedLayer,
        String details,
        Instant checkedAt,
        Duration elapsed,
        List<String> dnsAnswers,
        CertificateInfo certificate,
        HttpObservation http) {

    public ProbeResult {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(details, "details");
        dnsAnswers = dnsAnswers == null ? List.of() : List.copyOf(dnsAnswers);
    }

    /** The same result with {@code note} added to its details. */
    public ProbeResult withNote(String note) {
        return new ProbeResult(url, classification, failedLayer, details + note, checkedAt, elapsed, dnsAnswers,
                certificate, http);
    }

    public boolean healthy() {
        return classification.healthy();
    }
}
