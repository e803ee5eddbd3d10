package dev.cloudops.agent.rules;

import dev.cloudops.plan.Plan;
import java.util.List;

/** What one rule concluded: cause, findings with their evidence, actions, prevention, and a plan if any. */
record Diagnosis(
        String title,
        String rootCause,
        List<Finding> findings,
        List<String> immediateActions,
        List<String> prevention,
        Plan plan,
        List<String> affectedServices,
        String estimatedImpact) {

    /** One row of the Critical Findings table. */
    record Finding(String text, String evidenceId, String severity) {
    }
}
