package dev.cloudops.execution;

import dev.cloudops.CloudopsException;
import java.util.List;

/**
 * A task asked to run the plan of an execution that already applied steps (a retried execute task): the
 * steps are not applied twice; the state machine catches this into the rollback task.
 */
public final class StepsAlreadyAppliedException extends CloudopsException {

    StepsAlreadyAppliedException(String alertId, List<String> steps) {
        super("the execution of alert " + alertId + " already applied " + String.join(", ", steps)
                + " since it was claimed; its steps are not run again (it is rolled back instead)");
    }
}
