package dev.cloudops.execution;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.action.StepFailedException;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes what an execution applied and records the outcome: in the invocation that applied it (from the
 * changes it holds, restoring the state captured before each), or in a later one (from the journal on the
 * alert, with the plan's approved inverses, each only if the resource is still as the step left it). Either
 * way in reverse order, a step whose approved inverse is irreversible stays as done, and one restore that
 * fails is recorded while the rest go on.
 */
final class Rollback {

    private static final Pattern JOURNALED_VERSION = Pattern.compile("; version (\\S+)$");

    private final StepExecutors executors;
    private final PreChecks preChecks;
    private final OutcomeRecorder outcomes;

    Rollback(StepExecutors executors, PreChecks preChecks, OutcomeRecorder outcomes) {
        this.executors = executors;
        this.preChecks = preChecks;
        this.outcomes = outcomes;
    }

    /** Undoes the changes this invocation applied, in reverse order, and finishes the execution. */
    ExecutionOutcome applied(Alert alert, ExecutionLog log, Instant started, List<AppliedStep> applied, String cause,
            int done, Plan plan) {
        int total = plan == null ? applied.size() : PreChecks.executable(plan);
        if (applied.isEmpty()) {
            return outcomes.finish(alert, log, started, ExecutionStatus.FAILED, cause + "; nothing had been changed",
                    done, total, false);
        }
        Map<String, String> versions = new HashMap<>();
        for (AppliedStep step : applied) {
            executors.forAction(step.step().action()).resources(step.step().action())
                    .forEach(r -> versions.put(r, step.version()));
        }
        List<String> undone = new ArrayList<>();
        List<String> stillChanged = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        for (AppliedStep step : applied.reversed()) {
            PlanStep s = step.step();
            if (s.inverse() instanceof Inverse.Irreversible i || !step.reversible()) {
                String why = s.inverse() instanceof Inverse.Irreversible i ? i.reason() : "the service cannot restore it";
                log.rollback(s, "not undone: irreversible (" + why + ")", List.of());
                irreversible.add(s.id());
                continue;
            }
            StepExecutor executor = executors.forAction(s.action());
            List<String> resources = executor.resources(s.action());
            try {
                StepExecutor.Undone restored = executor.undo(step, resources.isEmpty() ? null
                        : versions.get(resources.getFirst()));
                resources.forEach(r -> versions.put(r, restored.version()));
                log.rollback(s, "undone", restored.calls());
                undone.add(s.id());
            } catch (StepFailedException e) {
                log.rollback(s, "FAILED: " + e.getMessage(), e.calls());
                stillChanged.add(s.id() + " (" + s.action().name() + ": " + e.getMessage() + ")");
            } catch (RuntimeException e) {
                log.rollback(s, "FAILED: " + e, List.of());
                stillChanged.add(s.id() + " (" + s.action().name() + ": " + e + ")");
            }
        }
        return conclude(alert, log, started, cause, done, total, undone, stillChanged, irreversible);
    }

    /**
     * Undoes the steps the alert's journal says the execution started at {@code startedAt} applied, gives back
     * its running slot and locks, and finishes it: ROLLED_BACK, or FAILED when nothing had been changed or
     * something could not be undone. {@code cause} says why the execution did not complete.
     */
    ExecutionOutcome journaled(Alert alert, ExecutionLog log, Instant startedAt, String cause) {
        if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
            return outcomes.finish(alert, log, startedAt, ExecutionStatus.FAILED, cause + "; its plan cannot be read, "
                    + "so nothing could be rolled back: check the resources by hand", 0, 0, false);
        }
        Plan plan = valid.plan();
        List<AuditEvent> journal = ExecutionJournal.appliedSince(alert, startedAt);
        List<String> undone = new ArrayList<>();
        List<String> stillChanged = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        for (AuditEvent entry : journal.reversed()) {
            Optional<PlanStep> found = plan.steps().stream().filter(s -> s.id().equals(entry.result())).findFirst();
            if (found.isEmpty()) {
                stillChanged.add(entry.result() + " (not in the plan)");
                continue;
            }
            PlanStep step = found.get();
            if (!(step.inverse() instanceof Inverse.Undo undo)) {
                String why = ((Inverse.Irreversible) step.inverse()).reason();
                log.rollback(step, "not undone: irreversible (" + why + ")", List.of());
                irreversible.add(step.id());
                continue;
            }
            try {
                StepExecutor executor = executors.forAction(step.action());
                Matcher version = JOURNALED_VERSION.matcher(entry.detail() == null ? "" : entry.detail());
                Optional<String> changed = executor.changedSince(step, executor.observe(step),
                        version.find() ? version.group(1) : null);
                if (changed.isPresent()) {
                    log.rollback(step, "NOT UNDONE: " + changed.get(), List.of());
                    stillChanged.add(step.id() + " (" + step.action().name() + ": " + changed.get() + ")");
                    continue;
                }
                PlanStep inverse = new PlanStep(step.id() + "-undo", undo.action(), step.precondition(),
                        new Inverse.Irreversible("the inverse of " + step.id()), step.risk(), step.permission());
                StepExecutor inverseExecutor = executors.forAction(undo.action());
                AppliedStep restored = inverseExecutor.apply(alert.alertId(), inverse, inverseExecutor.observe(inverse));
                log.rollback(step, "undone with the approved inverse " + undo.action().name(), restored.calls());
                undone.add(step.id());
            } catch (StepFailedException e) {
                log.rollback(step, "FAILED: " + e.getMessage(), e.calls());
                stillChanged.add(step.id() + " (" + step.action().name() + ": " + e.getMessage() + ")");
            } catch (RuntimeException e) {
                log.rollback(step, "FAILED: " + e, List.of());
                stillChanged.add(step.id() + " (" + step.action().name() + ": " + e + ")");
            }
        }
        preChecks.release(alert.alertId(), preChecks.resources(plan));
        if (journal.isEmpty()) {
            return outcomes.finish(alert, log, startedAt, ExecutionStatus.FAILED, cause + "; its journal names no "
                    + "applied step, so nothing had been changed", 0, PreChecks.executable(plan), false);
        }
        return conclude(alert, log, startedAt, cause, journal.size(), PreChecks.executable(plan), undone,
                stillChanged, irreversible);
    }

    private ExecutionOutcome conclude(Alert alert, ExecutionLog log, Instant started, String cause, int done,
            int total, List<String> undone, List<String> stillChanged, List<String> irreversible) {
        String rest = (undone.isEmpty() ? "" : "; undone: " + String.join(", ", undone))
                + (irreversible.isEmpty() ? "" : irreversible.size() == 1
                        ? "; irreversible step " + irreversible.getFirst() + " stays as done"
                        : "; irreversible steps " + String.join(", ", irreversible) + " stay as done");
        if (stillChanged.isEmpty() && !undone.isEmpty()) {
            return outcomes.finish(alert, log, started, ExecutionStatus.ROLLED_BACK, cause
                    + "; the changes were rolled back" + rest, done, total, true);
        }
        if (stillChanged.isEmpty()) {
            return outcomes.finish(alert, log, started, ExecutionStatus.FAILED, cause + "; nothing could be rolled back"
                    + rest, done, total, false);
        }
        return outcomes.finish(alert, log, started, ExecutionStatus.FAILED, cause + "; rollback failed, still changed: "
                + String.join("; ", stillChanged) + rest, done, total, true);
    }
}
