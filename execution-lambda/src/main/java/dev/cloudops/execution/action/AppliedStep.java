package dev.cloudops.execution.action;

import dev.cloudops.plan.PlanStep;
import java.util.List;

/**
 * A step that changed something: the state it started from (for its inverse), the calls it made, whether the
 * executor can restore the state it started from, and the version of the resource its change left (the
 * distribution's ETag; null where the service keeps none), which the restore must still find.
 */
public record AppliedStep(PlanStep step, Observation before, List<CallRecord> calls, boolean reversible,
        String version) {

    public AppliedStep {
        calls = List.copyOf(calls);
    }
}
