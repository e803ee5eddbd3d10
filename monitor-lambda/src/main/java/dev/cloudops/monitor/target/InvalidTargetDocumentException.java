package dev.cloudops.monitor.target;

import dev.cloudops.CloudopsException;

/** The target document as a whole cannot be read (not YAML/JSON, or not the expected shape). */
public final class InvalidTargetDocumentException extends CloudopsException {

    InvalidTargetDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
