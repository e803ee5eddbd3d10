package dev.cloudops.artifact;

import java.util.Map;

/** An object read back from the store, with the content type and metadata it was stored with. */
public record StoredArtifact(String key, byte[] content, String contentType, Map<String, String> metadata) {

    public StoredArtifact {
        metadata = Map.copyOf(metadata);
    }
}
