package dev.cloudops.agent;

import dev.cloudops.CloudopsException;

/** The analyser could not give an answer (failed, timed out, throttled); another may be asked instead. */
public final class AgentUnavailableException extends CloudopsException {

    public AgentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
