package dev.cloudops.execution.action;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.util.List;

/**
 * Carries out the actions of one AWS service. Every change is drift-safe: it is made from the exact
 * state observed just before (the record to delete, the ETag to match), so a concurrent change makes it
 * fail instead of being overwritten.
 */
public interface StepExecutor {

    boolean handles(Action action);

    /** The resources the action changes, as lock names ({@code route53:Z1/www.example.com/A}). */
    List<String> resources(Action action);

    /** Reads the current state of what the step changes. */
    Observation observe(PlanStep step);

    /**
     * Makes the change from {@code before}.
     *
     * @throws StepFailedException when the change was refused or did not complete in time
     */
    AppliedStep apply(String alertId, PlanStep step, Observation before);

    /**
     * Restores the state captured before the step.
     *
     * @throws StepFailedException when the state could not be restored
     */
    List<CallRecord> undo(AppliedStep applied);
}
