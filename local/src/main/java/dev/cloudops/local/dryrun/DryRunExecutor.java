package dev.cloudops.local.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.CallRecord;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every action of the catalog, described instead of sent: used when no AWS credentials are configured. It
 * cannot read the account, so it takes the state the analysis saw as the current one; each call it would
 * make is logged as "not sent".
 */
public final class DryRunExecutor implements StepExecutor {

    @Override
    public boolean handles(Action action) {
        return action.executable();
    }

    @Override
    public List<String> resources(Action action) {
        return List.of(); // nothing changes, so nothing needs a lock
    }

    @Override
    public Observation observe(PlanStep step) {
        return new Observation(step.precondition().expected(), null);
    }

    /** The state the analysis saw is the one it takes as current (it cannot read the account). */
    @Override
    public Optional<Map<String, String>> analysed(PlanStep step, JsonNode evidence) {
        return Optional.of(step.precondition().expected());
    }

    @Override
    public Optional<String> changedSince(PlanStep step, Observation now, String version) {
        return Optional.empty();
    }

    @Override
    public AppliedStep apply(String alertId, PlanStep step, Observation before) {
        String parameters = PlanJson.toJson(new Plan(null, List.of(step))).at("/steps/0/parameters").toString();
        return new AppliedStep(step, before, List.of(new CallRecord("DRY RUN " + step.action().name(), parameters, "-",
                "not sent: no AWS credentials are configured", Duration.ZERO)), false, null);
    }

    @Override
    public Undone undo(AppliedStep applied, String version) {
        return new Undone(List.of(), version);
    }
}
