package dev.cloudops.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.verify.Verifier;
import dev.cloudops.json.Json;
import dev.cloudops.logging.LogContext;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution as the alert workflow's four tasks, each one invocation (Orchestration=stepfunctions):
 * prechecks, execute, verify and rollback, with the same checks, step runner, verification, rollback and
 * records as the direct path. Nothing is kept in memory between tasks: the alert stays EXECUTING from the
 * claim in prechecks to the finish, the steps AWS accepted are journaled on it, the running slot and the
 * locks are held in the Control table under the alert id, and the log is one S3 object dated by the claim,
 * which each task reads back and extends. Every task can be retried: one that finds its work done answers
 * the alert's state and changes nothing, and execute never applies the steps twice. Execute and verify end
 * before the claim is {@code stuckAfter} minus the reserve old, so the rollback task has the reserve before
 * the scheduled recovery would take the execution over.
 */
final class PhasedExecution {

    private static final Logger LOG = LoggerFactory.getLogger(PhasedExecution.class);
    /** Kept back in the verify task to record the outcome. */
    private static final Duration RECORD_MARGIN = Duration.ofSeconds(30);
    private static final int CAUSE_LIMIT = 1000;

    /** What a task tells the state machine. */
    enum Outcome { READY, DEFERRED, APPLIED, FINISHED }

    /** A task's answer: its outcome, when to try again (DEFERRED only), the alert's state, and in words. */
    record Answer(Outcome outcome, Instant retryAt, AlertState state, String detail) {
    }

    /** The direct path's parts this one shares. */
    record Parts(AlertRepository alerts, ArtifactStore artifacts, PreChecks preChecks, OutcomeRecorder outcomes,
            Rollback rollback, StepRunner runner, Verifier verifier, Metrics metrics) {
    }

    private final AlertRepository alerts;
    private final PreChecks preChecks;
    private final OutcomeRecorder outcomes;
    private final Rollback rollback;
    private final StepRunner runner;
    private final Verifier verifier;
    private final Metrics metrics;
    private final PlanExecutor.Timing timing;
    private final Clock clock;

    PhasedExecution(Parts parts, PlanExecutor.Timing timing, Clock clock) {
        this.alerts = parts.alerts();
        this.preChecks = parts.preChecks();
        this.outcomes = parts.outcomes();
        this.rollback = parts.rollback();
        this.runner = parts.runner();
        this.verifier = parts.verifier();
        this.metrics = parts.metrics();
        this.timing = timing;
        this.clock = clock;
    }

    /**
     * Claims the APPROVED alert and runs every pre-check for the plan hash the people decided on: READY (the
     * slot and locks held), DEFERRED (the claim given back; call again at {@code retryAt}) or FINISHED. An
     * alert this execution already claimed, with no step applied since, is checked again on the same claim
     * (the slot and locks are the alert's already; the hour's count takes the retry as one more execution).
     */
    Answer prechecks(String alertId, String planHash) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() == AlertState.APPROVED) {
                TransitionResult claim = alerts.apply(alert.startExecution(OutcomeRecorder.EXECUTOR, clock.instant()));
                if (!(claim instanceof TransitionResult.Applied applied)) {
                    throw new CloudopsException("the alert " + alertId + " changed while it was being claimed");
                }
                metrics.put(Metric.of(MetricName.EXECUTIONS_TRIGGERED, 1).alert(alertId));
                alert = applied.alert();
            } else if (alert.state() != AlertState.EXECUTING) {
                return current(alert, "nothing to check");
            } else {
                requireNothingApplied(alert);
                LOG.info("the alert is claimed already and nothing was applied: checking again on the same claim");
            }
            Instant claimedAt = ExecutionJournal.claimedAt(alert);
            ExecutionLog log = new ExecutionLog(alert, runner.mode(), clock).keyedAt(claimedAt);
            PreChecks.Verdict verdict;
            try (var session = preChecks.open(alert)) {
                verdict = preChecks.check(alert, planHash, "the workflow's", log);
            } catch (RuntimeException e) {
                keep(alert, log);
                throw e;
            }
            if (verdict instanceof PreChecks.Ready ready) {
                outcomes.storeLog(alert, log);
                return new Answer(Outcome.READY, null, AlertState.EXECUTING, "the prechecks and the preflight passed; "
                        + PreChecks.executable(ready.plan()) + " executable step(s) ready, holding a running slot and "
                        + (ready.locked().isEmpty() ? "no lock" : "the locks of " + String.join(", ", ready.locked())));
            }
            ExecutionOutcome outcome = outcomes.conclude(verdict, alert, log, claimedAt, Optional.empty());
            if (outcome instanceof ExecutionOutcome.Deferred deferred) {
                return new Answer(Outcome.DEFERRED, deferred.at(), AlertState.APPROVED, deferred.reason());
            }
            return finished(outcome);
        }
    }

    /**
     * Runs the plan's steps on the claimed alert, from the state the preflight reads again now, journaling each
     * change AWS accepts: APPLIED, or FINISHED (a refusal at preflight, nothing changed; a dry run).
     *
     * @throws PlanStepFailedException when a step failed or could not start (what was applied is journaled)
     * @throws StepsAlreadyAppliedException when this execution applied steps already (a retried task)
     */
    Answer execute(String alertId, Supplier<Duration> remaining) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() != AlertState.EXECUTING) {
                return current(alert, "nothing to run");
            }
            try (var session = preChecks.open(alert)) {
                return execute(alert, remaining);
            }
        }
    }

    private Answer execute(Alert alert, Supplier<Duration> remaining) {
        requireNothingApplied(alert);
        Instant claimedAt = ExecutionJournal.claimedAt(alert);
        ExecutionLog log = continued(alert, claimedAt, "execute");
        Plan plan = approvedPlan(alert);
        int total = plan == null ? 0 : PreChecks.executable(plan);
        if (plan == null) {
            return release(alert, plan, outcomes.fail(alert, log, claimedAt, "the approved plan cannot be read "
                    + "(it changed after the prechecks); nothing was run", 0, total, false));
        }
        Optional<String> held = preChecks.relock(alert, plan);
        if (held.isPresent()) {
            log.precheck("resource locks", false, held.get());
            return release(alert, plan, outcomes.fail(alert, log, claimedAt, "a lock expired and was taken: "
                    + held.get() + "; nothing was changed", 0, total, false));
        }
        Preflight.Result checked = preChecks.preflight(alert, plan, log);
        if (checked.refusal().isPresent()) {
            return release(alert, plan, outcomes.fail(alert, log, claimedAt, checked.refusal().get()
                    + "; nothing was changed", 0, total, false));
        }
        Instant until = phaseDeadline(claimedAt);
        Progress progress = new Progress(() -> least(remaining.get(), Duration.between(clock.instant(), until)),
                timing.reserve(), timing.dryRun() ? step -> { } : step -> outcomes.journal(alert, step));
        StepRunner.RunResult ran;
        try {
            ran = runner.run(alert, plan, checked.observed(), log, progress);
        } catch (RuntimeException e) {
            throw stopped(alert, log, claimedAt, progress.applied(), plan, e);
        }
        if (ran.failure().isPresent()) {
            keep(alert, log);
            LOG.warn("a step failed; the workflow rolls back: {}", ran.failure().get());
            throw new PlanStepFailedException(ran.failure().get());
        }
        if (timing.dryRun()) {
            return release(alert, plan, outcomes.dryRun(alert, log, claimedAt, ran.stepsDone(), total));
        }
        outcomes.storeLog(alert, log);
        return new Answer(Outcome.APPLIED, null, AlertState.EXECUTING, ran.stepsDone() + " of " + total
                + " executable step(s) applied; the target is verified next");
    }

    /**
     * Verifies the target after the plan ran: healthy → COMPLETED (recorded, notified, slot and locks given
     * back), answering FINISHED.
     *
     * @throws VerificationFailedException when it is still failing at the deadline, or no time is left to verify
     */
    Answer verify(String alertId, Supplier<Duration> remaining) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() != AlertState.EXECUTING) {
                return current(alert, "nothing to verify");
            }
            Instant claimedAt = ExecutionJournal.claimedAt(alert);
            ExecutionLog log = continued(alert, claimedAt, "verify");
            Plan plan = approvedPlan(alert);
            Instant until = phaseDeadline(claimedAt);
            Duration budget = least(remaining.get().minus(RECORD_MARGIN), Duration.between(clock.instant(), until));
            if (budget.isNegative() || budget.isZero()) {
                String why = "the target could not be verified in time (the execution claimed at " + claimedAt
                        + " keeps " + timing.reserve().toSeconds() + " s to roll back before " + until
                        + ", when it would count as cut short)";
                log.verification("not verified: " + why);
                keep(alert, log);
                throw new VerificationFailedException(why);
            }
            Verifier.Result verified = verifier.verify(URI.create(alert.targetUrl()), log, budget);
            if (!verified.healthy()) {
                keep(alert, log);
                String why = OutcomeRecorder.stillFailing(verified.last());
                LOG.warn("verification failed; the workflow rolls back: {}", why);
                throw new VerificationFailedException(why);
            }
            int done = ExecutionJournal.appliedSince(alert, claimedAt).size();
            return release(alert, plan, outcomes.completed(alert, log, claimedAt, done,
                    plan == null ? done : PreChecks.executable(plan), verified.last()));
        }
    }

    /**
     * Rolls back what the alert's journal says this execution applied (as the scheduled recovery does), gives
     * back its slot and locks and finishes it ROLLED_BACK or FAILED, with {@code error} (the state machine's
     * {@code {"Error": ..., "Cause": ...}}) as the cause. An alert no longer EXECUTING answers its state.
     */
    Answer rollback(String alertId, JsonNode error) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() != AlertState.EXECUTING) {
                return current(alert, "nothing to roll back");
            }
            Instant claimedAt = ExecutionJournal.claimedAt(alert);
            String cause = cause(error);
            // A conditional write, as the scheduled recovery's: of the two, one rolls back at a time.
            TransitionResult taken = alerts.apply(alert.takeOverExecution(OutcomeRecorder.EXECUTOR, "the workflow "
                    + "rolls back the execution claimed at " + claimedAt + ": " + cause, clock.instant()));
            if (!(taken instanceof TransitionResult.Applied applied)) {
                Alert now = find(alertId);
                if (now.state() != AlertState.EXECUTING) {
                    return current(now, "nothing to roll back");
                }
                throw new CloudopsException("the alert " + alertId + " is being rolled back by another run");
            }
            ExecutionLog log = continued(applied.alert(), claimedAt, "rollback");
            try (var session = preChecks.open(applied.alert())) {
                return finished(rollback.journaled(applied.alert(), log, claimedAt, cause));
            }
        }
    }

    /**
     * An unexpected error while the steps ran: what this invocation holds as applied is undone here (a step
     * whose journal entry could not be written is known only here), then the error goes on to the state
     * machine, whose rollback task then finds the alert finished.
     */
    private RuntimeException stopped(Alert alert, ExecutionLog log, Instant claimedAt, List<AppliedStep> applied,
            Plan plan, RuntimeException e) {
        LOG.error("execution stopped by an unexpected error: {}", e.toString());
        if (applied.isEmpty()) {
            keep(alert, log);
            return e;
        }
        try {
            rollback.applied(alert, log, claimedAt, applied, "stopped by an unexpected error (" + e + ")",
                    applied.size(), plan);
            preChecks.release(alert.alertId(), preChecks.resources(plan));
        } catch (RuntimeException again) {
            e.addSuppressed(again);
        }
        return e;
    }

    /** The claimed alert's execution must not have applied anything yet. */
    private static void requireNothingApplied(Alert alert) {
        List<AuditEvent> applied = ExecutionJournal.appliedSince(alert, ExecutionJournal.claimedAt(alert));
        if (!applied.isEmpty()) {
            throw new StepsAlreadyAppliedException(alert.alertId(), applied.stream().map(AuditEvent::result).toList());
        }
    }

    /** When execute and verify must be done: the reserve before the scheduled recovery takes the claim over. */
    private Instant phaseDeadline(Instant claimedAt) {
        return claimedAt.plus(timing.stuckAfter()).minus(timing.reserve());
    }

    private ExecutionLog continued(Alert alert, Instant claimedAt, String task) {
        Optional<String> previous = outcomes.storedLog(alert, claimedAt);
        return previous.isPresent() ? ExecutionLog.continued(previous.get(), task, claimedAt, clock)
                : new ExecutionLog(alert, runner.mode(), clock).keyedAt(claimedAt);
    }

    /** Stores the log so far for the next task, without letting a store error hide the task's own outcome. */
    private void keep(Alert alert, ExecutionLog log) {
        try {
            outcomes.storeLog(alert, log);
        } catch (RuntimeException e) {
            LOG.warn("the execution log could not be stored: {}", e.toString());
        }
    }

    private Answer release(Alert alert, Plan plan, ExecutionOutcome outcome) {
        preChecks.release(alert.alertId(), plan == null ? List.of() : preChecks.resources(plan));
        return finished(outcome);
    }

    private static Answer finished(ExecutionOutcome outcome) {
        return switch (outcome) {
            case ExecutionOutcome.Finished f -> new Answer(Outcome.FINISHED, null, f.state(), f.detail());
            case ExecutionOutcome.Deferred d -> new Answer(Outcome.DEFERRED, d.at(), AlertState.APPROVED, d.reason());
            case ExecutionOutcome.NotClaimed n -> new Answer(Outcome.FINISHED, null, n.state(), "not claimed");
            case ExecutionOutcome.NotFound n -> throw new CloudopsException("no alert " + n.alertId());
        };
    }

    private static Answer current(Alert alert, String nothing) {
        return new Answer(Outcome.FINISHED, null, alert.state(), "the alert is " + alert.state() + "; " + nothing);
    }

    private Alert find(String alertId) {
        return alerts.find(alertId).orElseThrow(() -> new CloudopsException("no alert " + alertId));
    }

    /** The alert's plan when it is the approved one (its hash matches), else null. */
    private static Plan approvedPlan(Alert alert) {
        return alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid
                && valid.planHash().equals(alert.planHash()) ? valid.plan() : null;
    }

    /**
     * Why the workflow rolls back, from its error: the failed task's own message when the Cause is Lambda's
     * error JSON, else the error's name and cause; bounded in length.
     */
    static String cause(JsonNode error) {
        String name = error == null ? "" : error.path("Error").asText("");
        String text = error == null ? "" : error.path("Cause").asText("");
        String message = null;
        if (text.startsWith("{")) {
            try {
                message = Json.mapper().readTree(text).path("errorMessage").asText(null);
            } catch (IOException e) {
                message = null;
            }
        }
        String cause = message != null && !message.isBlank() ? message
                : "the workflow's task failed (" + (name.isBlank() ? "no error name" : name)
                        + (text.isBlank() ? "" : ": " + text) + ")";
        return cause.length() <= CAUSE_LIMIT ? cause : cause.substring(0, CAUSE_LIMIT) + "…";
    }

    private static Duration least(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
