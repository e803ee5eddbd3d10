package dev.cloudops.execution;

import dev.cloudops.alert.Alert;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.plan.Plan;
import dev.cloudops.trace.Tracing;
import java.util.Map;

/**
 * A step runner whose run is one subsegment: {@code agent execution} for the agent-mode conversation,
 * {@code execute plan} for plan mode; an error when a step failed.
 */
final class TracedStepRunner implements StepRunner {

    private final StepRunner runner;
    private final Tracing tracing;

    TracedStepRunner(StepRunner runner, Tracing tracing) {
        this.runner = runner;
        this.tracing = tracing;
    }

    @Override
    public RunResult run(Alert alert, Plan plan, Map<String, Observation> observed, ExecutionLog log,
            Progress progress) {
        String name = runner.mode().equals("agent") ? "agent execution" : "execute plan";
        return tracing.subsegment(name, span -> {
            span.annotate("alert_id", alert.alertId()).annotate("domain", alert.domain())
                    .annotate("mode", runner.mode());
            RunResult result = runner.run(alert, plan, observed, log, progress);
            span.annotate("steps_done", result.stepsDone());
            if (result.failure().isPresent()) {
                span.markError();
            }
            return result;
        });
    }

    @Override
    public String mode() {
        return runner.mode();
    }
}
