package dev.cloudops.alert.dynamodb;

import dev.cloudops.CloudopsException;

/** A stored alert item could not be read back (missing or malformed attribute). */
public final class CorruptItemException extends CloudopsException {

    CorruptItemException(String alertId, Throwable cause) {
        super("stored alert " + alertId + " cannot be read: " + cause.getMessage(), cause);
    }
}
