package dev.cloudops.alert;

import dev.cloudops.CloudopsException;

/** A page cursor that this store did not issue for this query (malformed, tampered or from another list). */
public final class InvalidCursorException extends CloudopsException {

    public InvalidCursorException(String reason) {
        super("invalid page cursor: " + reason);
    }
}
