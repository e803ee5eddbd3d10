package dev.cloudops.artifact;

import dev.cloudops.CloudopsException;

/** No object is stored under the key asked for. */
public final class ArtifactNotFoundException extends CloudopsException {

    public ArtifactNotFoundException(String key) {
        super("no artifact stored under " + key);
    }
}
