package dev.cloudops.execution.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.CallRecord;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake executor of every action: applies every step (recording it) without calling anything. A test whose
 * subject is a step failing stubs that on a Mockito spy of it.
 */
final class RecordingExecutor implements StepExecutor {

    private final List<PlanStep> applied = new ArrayList<>();

    List<PlanStep> applied() {
        return List.copyOf(applied);
    }

    @Override
    public boolean handles(Action action) {
        return action.executable();
    }

    @Override
    public List<String> resources(Action action) {
        return List.of("fake:" + action.name());
    }

    @Override
    public Observation observe(PlanStep step) {
        return new Observation(Map.of("state", "read again"), step.id());
    }

    @Override
    public AppliedStep apply(String alertId, PlanStep step, Observation before) {
        CallRecord call = new CallRecord("Fake" + step.id(), step.action().toString(), "req-" + step.id(), "ok",
                Duration.ZERO);
        applied.add(step);
        return new AppliedStep(step, before, List.of(call), true, null);
    }

    @Override
    public Optional<Map<String, String>> analysed(PlanStep step, JsonNode evidence) {
        return Optional.of(Map.of("state", "read again"));
    }

    @Override
    public Optional<String> changedSince(PlanStep step, Observation now, String version) {
        return Optional.empty();
    }

    @Override
    public Undone undo(AppliedStep applied, String version) {
        return new Undone(List.of(), version);
    }
}
