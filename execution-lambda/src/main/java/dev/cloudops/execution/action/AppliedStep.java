package dev.cloudops.execution.action;

import dev.cloudops.plan.PlanStep;
import java.util.List;

/** A step that changed something: the state it started from (for its inverse) and the calls it made. */
public record AppliedStep(PlanStep step, Observation before, List<CallRecord> calls, boolean reversible) {

    public AppliedStep {
        calls = List.copyOf(calls);
    }
}
