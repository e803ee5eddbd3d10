package dev.cloudops.plan;

import java.util.Objects;

/** One step of a plan; only a {@link Action.ManualStep} may go without a precondition and a permission. */
public record PlanStep(String id, Action action, Precondition precondition, Inverse inverse, Risk risk,
        Permission permission) {

    public PlanStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(inverse, "inverse");
        Objects.requireNonNull(risk, "risk");
        if ((precondition == null || permission == null) && action.executable()) {
            throw new IllegalArgumentException("step " + id + " (" + action.name()
                    + ") needs a precondition and a permission");
        }
    }
}
