package dev.cloudops.execution;

import dev.cloudops.alert.Alert;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.action.StepFailedException;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Plan mode: runs the steps in order with the executors. A step changes its resource from the state the
 * preflight observed (so anything changed since makes it fail); a later step on a resource an earlier step
 * already changed reads it again first. Manual steps are reported as for a person.
 */
public final class PlanModeRunner implements StepRunner {

    private final StepExecutors executors;
    private final Clock clock;

    public PlanModeRunner(StepExecutors executors, Clock clock) {
        this.executors = executors;
        this.clock = clock;
    }

    @Override
    public String mode() {
        return "plan";
    }

    @Override
    public RunResult run(Alert alert, Plan plan, Map<String, Observation> observed, ExecutionLog log,
            Progress progress) {
        Set<String> touched = new HashSet<>();
        int done = 0;
        for (PlanStep step : plan.steps()) {
            if (!step.action().executable()) {
                log.step(step, "not executed: for a person", List.of(), Duration.ZERO);
                continue;
            }
            Optional<String> failure = runStep(alert.alertId(), step, observed, touched, progress, log, executors,
                    clock);
            if (failure.isPresent()) {
                return new RunResult(progress.applied(), failure, done);
            }
            done++;
        }
        return new RunResult(progress.applied(), Optional.empty(), done);
    }

    /**
     * Applies one step, logging it; adds it to {@code progress} once AWS accepted it (even if it then failed
     * to settle) and its resources to {@code touched}. Starts nothing once the time is up. Shared with agent
     * mode, which runs the same executors.
     *
     * @return the failure, if the step failed or was not started
     */
    public static Optional<String> runStep(String alertId, PlanStep step, Map<String, Observation> observed,
            Set<String> touched, Progress progress, ExecutionLog log, StepExecutors executors, Clock clock) {
        StepExecutor executor = executors.forAction(step.action());
        List<String> resources = executor.resources(step.action());
        Optional<String> late = progress.outOfTime();
        if (late.isPresent()) {
            log.step(step, "NOT STARTED: " + late.get(), List.of(), Duration.ZERO);
            return Optional.of("step " + step.id() + " (" + step.action().name() + ") was not started: " + late.get());
        }
        Instant start = clock.instant();
        AppliedStep done;
        try {
            Observation before = observed.get(step.id());
            if (before == null || resources.stream().anyMatch(touched::contains)) {
                before = executor.observe(step); // an earlier step changed it: start from what it is now
            }
            done = executor.apply(alertId, step, before);
        } catch (StepFailedException e) {
            e.accepted().ifPresent(accepted -> {
                progress.applied(accepted);
                touched.addAll(resources);
            });
            log.step(step, "FAILED: " + e.getMessage(), e.calls(), Duration.between(start, clock.instant()));
            return Optional.of("step " + step.id() + " (" + step.action().name() + ") failed: " + e.getMessage());
        } catch (SdkException e) {
            log.step(step, "FAILED: " + e.getMessage(), List.of(), Duration.between(start, clock.instant()));
            return Optional.of("step " + step.id() + " (" + step.action().name() + ") failed: " + e.getMessage());
        }
        touched.addAll(resources);
        log.step(step, "done", done.calls(), Duration.between(start, clock.instant()));
        progress.applied(done); // outside the step's failures: a journal that cannot be written stops the run
        return Optional.empty();
    }
}
