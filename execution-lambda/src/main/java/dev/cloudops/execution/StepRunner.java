package dev.cloudops.execution;

import dev.cloudops.alert.Alert;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.plan.Plan;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out the approved plan's steps after the prechecks and preflight passed: directly (plan mode)
 * or as the Bedrock agent asks, each request checked against the plan (agent mode).
 */
public interface StepRunner {

    /** What ran: the applied steps in order (for rollback), the failure if one stopped the run, and a summary. */
    record RunResult(List<AppliedStep> applied, Optional<String> failure, int stepsDone) {
        public RunResult {
            applied = List.copyOf(applied);
        }
    }

    /**
     * Runs the plan; {@code observed} is the preflight's observation of each executable step (by step id).
     * Each change AWS accepts is added to {@code progress} at once, so whatever stops the run, what was
     * changed is known. Never throws for a failing step: the failure is in the result, with what was applied
     * before it. Starts no step once {@code progress} says the time is up.
     */
    RunResult run(Alert alert, Plan plan, Map<String, Observation> observed, ExecutionLog log, Progress progress);

    /** "plan" or "agent", for the log. */
    String mode();
}
