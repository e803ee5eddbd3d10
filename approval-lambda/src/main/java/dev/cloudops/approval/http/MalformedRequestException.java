package dev.cloudops.approval.http;

import dev.cloudops.CloudopsException;

/** A request that cannot be understood; answered with 400 and this message, never a state change. */
public final class MalformedRequestException extends CloudopsException {

    public MalformedRequestException(String message) {
        super(message);
    }
}
