package dev.cloudops.alert;

import dev.cloudops.CloudopsException;

/** An alert was created with an id that is already stored. */
public final class AlertAlreadyExistsException extends CloudopsException {

    public AlertAlreadyExistsException(String alertId) {
        super("alert " + alertId + " already exists");
    }
}
