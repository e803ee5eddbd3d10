package dev.cloudops.execution;

import dev.cloudops.CloudopsException;

/**
 * The execute task's failure when a step of the plan failed or could not start (its message says which and
 * why); the state machine catches it into the rollback task, which undoes what the alert's journal names.
 */
public final class PlanStepFailedException extends CloudopsException {

    PlanStepFailedException(String failure) {
        super(failure);
    }
}
