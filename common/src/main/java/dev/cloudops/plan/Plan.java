package dev.cloudops.plan;

import java.util.List;

/** A remediation plan: an ordered list of typed steps, and a one-paragraph summary for people. */
public record Plan(String summary, List<PlanStep> steps) {

    public Plan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one step");
        }
    }

    /** The highest risk of any step. */
    public Risk risk() {
        return steps.stream().map(PlanStep::risk).max(Enum::compareTo).orElse(Risk.LOW);
    }

    /** True when at least one step would be executed (not only manual steps). */
    public boolean executable() {
        return steps.stream().anyMatch(s -> s.action().executable());
    }
}
