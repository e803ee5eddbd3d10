package dev.cloudops.execution;

import dev.cloudops.CloudopsException;

/**
 * The verify task's failure when the target is still failing after the plan, or could not be verified in
 * time; the state machine catches it into the rollback task.
 */
public final class VerificationFailedException extends CloudopsException {

    VerificationFailedException(String why) {
        super(why);
    }
}
