package dev.cloudops.execution.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out the actions of one AWS service. Every change is drift-safe: it is made from the exact
 * state observed just before (the record to delete, the ETag to match), so a concurrent change makes it
 * fail instead of being overwritten; and so is every restore, which only undoes this execution's own change.
 */
public interface StepExecutor {

    /** A restore's calls, and the version of the resource it left (null where the service keeps none). */
    record Undone(List<CallRecord> calls, String version) {
        public Undone {
            calls = List.copyOf(calls);
        }
    }

    boolean handles(Action action);

    /** The resources the action changes, as lock names ({@code route53:Z1/www.example.com/A}). */
    List<String> resources(Action action);

    /**
     * The IAM condition keys the action's call carries, as {@code iam:SimulatePrincipalPolicy} takes them; none
     * by default.
     */
    default Map<String, List<String>> conditionKeys(Action action) {
        return Map.of();
    }

    /** Reads the current state of what the step changes. */
    Observation observe(PlanStep step);

    /**
     * The state of what the step changes as the analysis saw it, in the terms of {@link #observe}'s facts,
     * read from the evidence pack's items; empty when the analysis captured nothing about it.
     */
    Optional<Map<String, String>> analysed(PlanStep step, JsonNode evidence);

    /**
     * Why the resource is no longer as {@code step} left it ({@code version}: the version its change left,
     * null where the service keeps none), judged from {@code now}; empty when it still is. A later run that
     * rolls back a step it did not make itself asks this first.
     */
    Optional<String> changedSince(PlanStep step, Observation now, String version);

    /**
     * Makes the change from {@code before}.
     *
     * @throws StepFailedException when the change was refused or did not complete in time (with the change
     *     itself when AWS had accepted it)
     */
    AppliedStep apply(String alertId, PlanStep step, Observation before);

    /**
     * Restores the state captured before the step, provided the resource is still at {@code version}, the
     * version this execution's own last change left (null where the service keeps none).
     *
     * @throws StepFailedException when the state could not be restored, or someone else changed it since
     */
    Undone undo(AppliedStep applied, String version);
}
