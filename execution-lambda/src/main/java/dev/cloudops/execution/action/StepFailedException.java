package dev.cloudops.execution.action;

import dev.cloudops.CloudopsException;
import java.util.List;
import java.util.Optional;

/**
 * A step (or its inverse) that did not complete; carries the calls made before it failed and, when AWS had
 * accepted the change before the failure (submitted but not settled in time), that change: it counts as
 * applied, so it is rolled back like any other.
 */
public final class StepFailedException extends CloudopsException {

    private final transient List<CallRecord> calls;
    private final transient AppliedStep accepted;

    public StepFailedException(String message, List<CallRecord> calls, Throwable cause) {
        this(message, calls, cause, null);
    }

    public StepFailedException(String message, List<CallRecord> calls, Throwable cause, AppliedStep accepted) {
        super(message, cause);
        this.calls = List.copyOf(calls);
        this.accepted = accepted;
    }

    public List<CallRecord> calls() {
        return calls;
    }

    /** The change AWS accepted before the step failed, if it got that far. */
    public Optional<AppliedStep> accepted() {
        return Optional.ofNullable(accepted);
    }
}
