package dev.cloudops.trace;

import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.StoredArtifact;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An artifact store whose reads and writes are {@code store artifacts.<operation>} subsegments, annotated with
 * the alert id and kind; locations and presigned links are computed locally and are not traced.
 */
public final class TracedArtifactStore implements ArtifactStore {

    private final ArtifactStore artifacts;
    private final Tracing tracing;

    public TracedArtifactStore(ArtifactStore artifacts, Tracing tracing) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    @Override
    public String put(Artifact artifact) {
        return tracing.subsegment("store artifacts.put", span -> {
            span.annotate("alert_id", artifact.alertId()).annotate("domain", artifact.domain())
                    .annotate("artifact", artifact.kind().name());
            return artifacts.put(artifact);
        });
    }

    @Override
    public StoredArtifact get(String key) {
        return tracing.subsegment("store artifacts.get", span -> artifacts.get(key));
    }

    @Override
    public URI location(String key) {
        return artifacts.location(key);
    }

    @Override
    public Optional<String> keyOf(URI location) {
        return artifacts.keyOf(location);
    }

    @Override
    public URI presignedUrl(String key) {
        return artifacts.presignedUrl(key);
    }

    @Override
    public URI presignedUrl(String key, Duration expiry) {
        return artifacts.presignedUrl(key, expiry);
    }
}
