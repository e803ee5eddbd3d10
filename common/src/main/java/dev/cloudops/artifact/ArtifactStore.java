package dev.cloudops.artifact;

import java.net.URI;
import java.time.Duration;

/** Where reports, evidence packs, execution logs and archived alerts are kept, private and encrypted. */
public interface ArtifactStore {

    /**
     * Stores the artifact under its key with its content type and the metadata {@code alert-id},
     * {@code domain} and {@code phase}; overwrites an object with the same key.
     *
     * @return the key it was stored under
     */
    String put(Artifact artifact);

    /**
     * Reads an object back.
     *
     * @throws ArtifactNotFoundException when nothing is stored under the key
     */
    StoredArtifact get(String key);

    /** Where an object is, for records ({@code s3://bucket/key}); not a link a person can open. */
    URI location(String key);

    /**
     * The key of an object from its {@link #location(String)}; empty when the location is not one of this
     * store's (another bucket or folder, or not a location at all).
     */
    java.util.Optional<String> keyOf(URI location);

    /** A short-lived link that lets a person read one object without credentials, valid for the configured expiry. */
    URI presignedUrl(String key);

    /** As {@link #presignedUrl(String)}, valid for {@code expiry} (at most 7 days). */
    URI presignedUrl(String key, Duration expiry);
}
