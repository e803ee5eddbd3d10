package dev.cloudops.monitor.trigger;

import dev.cloudops.CloudopsException;

/** An invocation event that is none of the shapes the monitor accepts, or is malformed. */
public final class InvalidEventException extends CloudopsException {

    InvalidEventException(String message) {
        super(message);
    }
}
