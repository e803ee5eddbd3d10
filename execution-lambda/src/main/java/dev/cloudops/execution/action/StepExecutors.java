package dev.cloudops.execution.action;

import dev.cloudops.plan.Action;
import java.util.List;

/** The executors of the whole catalog, looked up by action (manual steps have none: they are for a person). */
public final class StepExecutors {

    private final List<StepExecutor> executors;

    public StepExecutors(List<StepExecutor> executors) {
        this.executors = List.copyOf(executors);
    }

    public StepExecutor forAction(Action action) {
        return executors.stream().filter(e -> e.handles(action)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no executor for " + action.name()));
    }
}
