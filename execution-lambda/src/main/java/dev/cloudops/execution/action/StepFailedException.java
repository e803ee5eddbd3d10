package dev.cloudops.execution.action;

import dev.cloudops.CloudopsException;
import java.util.List;

/** A step (or its inverse) that did not complete; carries the calls made before it failed. */
public final class StepFailedException extends CloudopsException {

    private final transient List<CallRecord> calls;

    public StepFailedException(String message, List<CallRecord> calls, Throwable cause) {
        super(message, cause);
        this.calls = List.copyOf(calls);
    }

    public List<CallRecord> calls() {
        return calls;
    }
}
