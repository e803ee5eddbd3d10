package dev.cloudops.monitor.quorum;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.probe.ProbeResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one region's probe of one target saw: the failing layer and its classification (no layer when healthy),
 * how long the probe took, and when the region observed it (by that region's clock).
 *
 * @param layer the layer that failed, or null when the probe was healthy
 * @param latency how long the probe took, or null when the probe did not measure it
 */
public record RegionalObservation(
        URI target,
        String region,
        Layer layer,
        Classification classification,
        Duration latency,
        Instant observedAt) {

    public RegionalObservation {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(observedAt, "observedAt");
        if (region.isBlank() || region.chars().anyMatch(c -> c == '#' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("a region is a name without blanks or '#': '" + region + "'");
        }
        if (classification.healthy() != (layer == null)) {
            throw new IllegalArgumentException("a failing observation names its failing layer and a healthy one none: "
                    + classification + " with layer " + layer);
        }
    }

    /** The observation of {@code result} made in {@code region}, stamped with the probe's own check time. */
    public static RegionalObservation of(ProbeResult result, String region) {
        return new RegionalObservation(result.url(), region, result.failedLayer(), result.classification(),
                result.elapsed(), Objects.requireNonNull(result.checkedAt(), "checkedAt"));
    }

    public boolean failing() {
        return !classification.healthy();
    }
}
