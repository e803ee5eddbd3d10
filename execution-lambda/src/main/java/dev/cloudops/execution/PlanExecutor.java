package dev.cloudops.execution;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.precheck.ExecutionLimits;
import dev.cloudops.execution.precheck.ExecutionWindows;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.precheck.ResourceLocks;
import dev.cloudops.execution.runbook.RunbookLessons;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.execution.session.PlanSessions;
import dev.cloudops.execution.verify.TargetProbe;
import dev.cloudops.execution.verify.Verifier;
import dev.cloudops.logging.LogContext;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.notify.Notification;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs exactly the approved plan, once (DESIGN.md section 8): claims the alert with one conditional write,
 * refuses or defers before touching anything when the plan (its hash recomputed from the stored plan, and
 * the hash each approver saw), the approvals themselves, the approval's age, the execution window, the
 * target's health, the rate limits or a resource lock say so, preflights every step, runs the steps,
 * verifies the target, rolls back on failure, and records everything — log to S3, alert, archive,
 * notification — on every path. Every change AWS accepted is rolled back, in reverse order, whatever stops
 * the run: a failed step, a target still failing, an unexpected error, or the invocation's time running
 * out; a run cut short without a word is rolled back by a later scheduled run from its journal. Reports
 * each execution started, and each finished one: its duration, whether it succeeded, and each failure.
 */
public final class PlanExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);
    private static final Actor EXECUTOR = OutcomeRecorder.EXECUTOR;
    private static final int RECOVERY_BATCH = 25;

    /**
     * How long an approval stays good for, how long to wait before retrying after a limit or lock, whether
     * this is a dry run (executors that only describe their calls: nothing changes, so nothing is verified,
     * and the outcome says so), how much of the invocation's time is kept back to roll back and record, and
     * after how long an execution still EXECUTING is taken to have been cut short.
     */
    public record Timing(Duration approvalWindow, Duration retryAfter, boolean dryRun, Duration reserve,
            Duration stuckAfter) {
    }

    /**
     * Where it reads and records: the alerts, the artifacts (plan evidence, logs), the archive of closed alerts
     * (the template's Object Lock bucket, or the artifacts store itself), deferrals, and the runbooks verified
     * executions teach.
     */
    public record Records(AlertRepository alerts, ArtifactStore artifacts, ArtifactStore archive,
            DeferredExecutions deferred, Optional<RunbookLessons> lessons) {

        /** Closed alerts archived with the other artifacts (the local runner; stacks without an archive bucket). */
        public Records(AlertRepository alerts, ArtifactStore artifacts, DeferredExecutions deferred) {
            this(alerts, artifacts, artifacts, deferred, Optional.empty());
        }

        /** No runbooks learned from verified executions. */
        public Records(AlertRepository alerts, ArtifactStore artifacts, ArtifactStore archive,
                DeferredExecutions deferred) {
            this(alerts, artifacts, archive, deferred, Optional.empty());
        }
    }

    /**
     * What may refuse or hold back a plan before anything changes: the approval rules, the preflight of
     * every step, the execution windows, the rate limits and the resource locks; and the credentials a plan
     * may run with (a session scoped to it, when the deployment names an executor role).
     */
    public record Safety(ApprovalRules approvalRules, Preflight preflight, ExecutionWindows windows,
            ExecutionLimits limits, ResourceLocks locks, PlanSessions sessions) {

        /** Plans run on the function's own credentials (no executor role: the local runner, tests). */
        public Safety(ApprovalRules approvalRules, Preflight preflight, ExecutionWindows windows,
                ExecutionLimits limits, ResourceLocks locks) {
            this(approvalRules, preflight, windows, limits, locks, PlanSessions.UNSCOPED);
        }
    }

    /** What runs the steps and checks their effect: the step executors, the runner, the probe, the verifier. */
    public record Steps(StepExecutors executors, StepRunner runner, TargetProbe probe, Verifier verifier) {
    }

    /** What it tells: the people (notifications with a link to the log) and the metrics. */
    public record Reporting(Consumer<Notification> notifications, LogLinks logLinks, Metrics metrics) {
    }

    private final AlertRepository alerts;
    private final DeferredExecutions deferred;
    private final StepRunner runner;
    private final Verifier verifier;
    private final Metrics metrics;
    private final Clock clock;
    private final Timing timing;
    private final PreChecks preChecks;
    private final OutcomeRecorder outcomes;
    private final Rollback rollback;
    private final PhasedExecution phased;

    public PlanExecutor(Records records, Safety safety, Steps steps, Reporting reporting, Timing timing, Clock clock) {
        this.alerts = records.alerts();
        this.deferred = records.deferred();
        this.runner = steps.runner();
        this.verifier = steps.verifier();
        this.metrics = reporting.metrics();
        this.timing = timing;
        this.clock = clock;
        this.preChecks = new PreChecks(safety, steps, records.artifacts(), records.lessons(), timing, clock);
        this.outcomes = new OutcomeRecorder(records, reporting, clock);
        this.rollback = new Rollback(steps.executors(), preChecks, outcomes);
        this.phased = new PhasedExecution(new PhasedExecution.Parts(records.alerts(), records.artifacts(), preChecks,
                outcomes, rollback, steps.runner(), steps.verifier(), metrics), timing, clock);
    }

    /** The same execution run as the state machine's tasks, one invocation each (Orchestration=stepfunctions). */
    PhasedExecution phased() {
        return phased;
    }

    /** Handles one execute message with no time limit (the local runner). */
    public ExecutionOutcome execute(ExecutionRequest request) {
        return execute(request, () -> Duration.ofDays(1));
    }

    /**
     * Handles one execute message within the invocation's {@code remaining} time; a duplicate (or a message
     * for an alert no longer APPROVED) is a no-op.
     */
    public ExecutionOutcome execute(ExecutionRequest request, Supplier<Duration> remaining) {
        try (var ignored = LogContext.alert(request.alertId())) {
            Optional<Alert> found = alerts.find(request.alertId());
            if (found.isEmpty()) {
                LOG.warn("execute message for an unknown alert; nothing to do");
                return new ExecutionOutcome.NotFound(request.alertId());
            }
            if (found.get().state() != AlertState.APPROVED) {
                LOG.info("alert is {}, not APPROVED: this message is a duplicate or late; nothing to do",
                        found.get().state());
                return new ExecutionOutcome.NotClaimed(request.alertId(), found.get().state());
            }
            TransitionResult claim = alerts.apply(found.get().startExecution(EXECUTOR, clock.instant()));
            if (!(claim instanceof TransitionResult.Applied applied)) {
                LOG.info("another execution claimed the alert first; nothing to do");
                return new ExecutionOutcome.NotClaimed(request.alertId(), AlertState.EXECUTING);
            }
            metrics.put(Metric.of(MetricName.EXECUTIONS_TRIGGERED, 1).alert(request.alertId()));
            deferred.remove(request.alertId());
            return run(request, applied.alert(), remaining);
        }
    }

    private ExecutionOutcome run(ExecutionRequest request, Alert alert, Supplier<Duration> remaining) {
        try (var session = preChecks.open(alert)) {
            return runInSession(request, alert, remaining);
        }
    }

    private ExecutionOutcome runInSession(ExecutionRequest request, Alert alert, Supplier<Duration> remaining) {
        Instant started = clock.instant();
        ExecutionLog log = new ExecutionLog(alert, runner.mode(), clock);
        Progress progress = new Progress(remaining, timing.reserve(), timing.dryRun() ? step -> { }
                : step -> outcomes.journal(alert, step));
        PreChecks.Ready ready = null;
        boolean concluding = false;
        try {
            PreChecks.Verdict verdict = preChecks.check(alert, request.planHash(), "the execute message's", log);
            if (!(verdict instanceof PreChecks.Ready checked)) {
                concluding = true;
                return outcomes.conclude(verdict, alert, log, started, Optional.of(request));
            }
            ready = checked;
            Plan plan = checked.plan();
            StepRunner.RunResult ran = runner.run(alert, plan, checked.observed(), log, progress);
            if (ran.failure().isPresent()) {
                concluding = true;
                return rollback.applied(alert, log, started, progress.applied(), ran.failure().get(), ran.stepsDone(),
                        plan);
            }
            if (timing.dryRun()) {
                concluding = true;
                return outcomes.dryRun(alert, log, started, ran.stepsDone(), PreChecks.executable(plan));
            }
            Optional<String> late = progress.outOfTime();
            if (late.isPresent()) {
                log.verification("not verified: " + late.get());
                concluding = true;
                return rollback.applied(alert, log, started, progress.applied(), "the target could not be verified "
                        + "in time (" + late.get() + ")", ran.stepsDone(), plan);
            }
            Verifier.Result verified = verifier.verify(URI.create(alert.targetUrl()), log, progress.spare());
            concluding = true;
            if (!verified.healthy()) {
                return rollback.applied(alert, log, started, progress.applied(),
                        OutcomeRecorder.stillFailing(verified.last()), ran.stepsDone(), plan);
            }
            return outcomes.completed(alert, log, started, ran.stepsDone(), PreChecks.executable(plan),
                    verified.last());
        } catch (RuntimeException e) {
            // Never leave an alert EXECUTING unrecorded, nor a change standing that nobody verified: undo what
            // was applied and record what is known, then let Lambda see the failure. A failure while the outcome
            // was being recorded is left to the scheduled run, which finds the alert still EXECUTING.
            LOG.error("execution stopped by an unexpected error: {}", e.toString());
            if (!concluding) {
                String cause = "stopped by an unexpected error (" + e + ")";
                Plan plan = ready != null ? ready.plan() : approvedPlan(alert);
                List<AppliedStep> applied = progress.applied();
                if (applied.isEmpty()) {
                    outcomes.fail(alert, log, started, cause + "; nothing had been changed", 0,
                            plan == null ? 0 : PreChecks.executable(plan), false);
                } else {
                    rollback.applied(alert, log, started, applied, cause, applied.size(), plan);
                }
            }
            throw e;
        } finally {
            if (ready != null) {
                preChecks.release(alert.alertId(), ready.locked());
            }
        }
    }

    /** The alert's plan when it is the approved one (its hash matches), else null. */
    private static Plan approvedPlan(Alert alert) {
        return alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid
                && valid.planHash().equals(alert.planHash()) ? valid.plan() : null;
    }

    /**
     * Rolls back the executions that outlived their invocation: alerts still EXECUTING well after their
     * execution started. Each is taken over with one conditional write (so one run does it), and the steps
     * its journal says AWS accepted are undone in reverse order with the plan's approved inverses, each only
     * if the resource is still as the step left it.
     */
    public List<ExecutionOutcome> recoverStuck() {
        Instant now = clock.instant();
        List<ExecutionOutcome> recovered = new ArrayList<>();
        for (Alert candidate : alerts.listExecuting(RECOVERY_BATCH)) {
            Instant startedAt = ExecutionJournal.claimedAt(candidate);
            if (startedAt.plus(timing.stuckAfter()).isAfter(now)) {
                continue;
            }
            try (var ignored = LogContext.alert(candidate.alertId())) {
                TransitionResult taken = alerts.apply(candidate.takeOverExecution(EXECUTOR, "the execution started at "
                        + startedAt + " did not finish within " + timing.stuckAfter().toMinutes() + " min; rolling back "
                        + "what it applied", now));
                if (taken instanceof TransitionResult.Applied applied) {
                    try (var session = preChecks.open(applied.alert())) {
                        recovered.add(rollback.journaled(applied.alert(), new ExecutionLog(applied.alert(),
                                "recovery", clock), startedAt, "the execution started at " + startedAt
                                        + " stopped before it finished (its invocation ended)"));
                    }
                }
            }
        }
        return recovered;
    }
}
