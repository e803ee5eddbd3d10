package dev.cloudops.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.ExecutionReport;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.action.StepFailedException;
import dev.cloudops.execution.precheck.ExecutionLimits;
import dev.cloudops.execution.precheck.ExecutionWindows;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.precheck.ResourceLocks;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.execution.verify.TargetProbe;
import dev.cloudops.execution.verify.Verifier;
import dev.cloudops.json.RecordJson;
import dev.cloudops.logging.LogContext;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.notify.Notification;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.probe.ProbeResult;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

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
    private static final Actor EXECUTOR = Actor.system("execution");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOURNALED_VERSION = Pattern.compile("; version (\\S+)$");
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

    private final AlertRepository alerts;
    private final ArtifactStore artifacts;
    private final StepExecutors executors;
    private final Preflight preflight;
    private final StepRunner runner;
    private final ExecutionWindows windows;
    private final ExecutionLimits limits;
    private final ResourceLocks locks;
    private final DeferredExecutions deferred;
    private final TargetProbe probe;
    private final Verifier verifier;
    private final Consumer<Notification> notify;
    private final LogLinks logLinks;
    private final Clock clock;
    private final Timing timing;
    private final Metrics metrics;
    private final ApprovalRules approvalRules;

    /** Where it reads and records: the alerts, the artifacts (plan evidence, logs, archive) and deferrals. */
    public record Records(AlertRepository alerts, ArtifactStore artifacts, DeferredExecutions deferred) {
    }

    /**
     * What may refuse or hold back a plan before anything changes: the approval rules, the preflight of
     * every step, the execution windows, the rate limits and the resource locks.
     */
    public record Safety(ApprovalRules approvalRules, Preflight preflight, ExecutionWindows windows,
            ExecutionLimits limits, ResourceLocks locks) {
    }

    /** What runs the steps and checks their effect: the step executors, the runner, the probe, the verifier. */
    public record Steps(StepExecutors executors, StepRunner runner, TargetProbe probe, Verifier verifier) {
    }

    /** What it tells: the people (notifications with a link to the log) and the metrics. */
    public record Reporting(Consumer<Notification> notifications, LogLinks logLinks, Metrics metrics) {
    }

    public PlanExecutor(Records records, Safety safety, Steps steps, Reporting reporting, Timing timing, Clock clock) {
        this.alerts = records.alerts();
        this.artifacts = records.artifacts();
        this.deferred = records.deferred();
        this.approvalRules = safety.approvalRules();
        this.preflight = safety.preflight();
        this.windows = safety.windows();
        this.limits = safety.limits();
        this.locks = safety.locks();
        this.executors = steps.executors();
        this.runner = steps.runner();
        this.probe = steps.probe();
        this.verifier = steps.verifier();
        this.notify = reporting.notifications();
        this.logLinks = reporting.logLinks();
        this.metrics = reporting.metrics();
        this.timing = timing;
        this.clock = clock;
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
        Instant started = clock.instant();
        ExecutionLog log = new ExecutionLog(alert, runner.mode(), clock);
        Progress progress = new Progress(remaining, timing.reserve(), timing.dryRun() ? step -> { }
                : step -> journal(alert, step));
        List<String> locked = List.of();
        boolean slot = false;
        boolean concluding = false;
        Plan plan = null;
        try {
            if (!request.planHash().equals(alert.planHash())) {
                log.precheck("plan hash", false, "message " + request.planHash() + ", approved " + alert.planHash());
                concluding = true;
                return fail(alert, log, started, "the execute message's plan_hash " + request.planHash()
                        + " is not the approved plan's " + alert.planHash() + "; nothing was run", 0, 0, false);
            }
            if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
                concluding = true;
                return fail(alert, log, started, "the approved plan cannot be read; nothing was run", 0, 0, false);
            }
            if (!valid.planHash().equals(alert.planHash())) {
                // The stored plan is not the one approved: it was replaced after the approval.
                log.precheck("plan hash", false, "the stored plan hashes to " + valid.planHash() + ", approved "
                        + alert.planHash());
                concluding = true;
                return fail(alert, log, started, "the stored plan hashes to " + valid.planHash()
                        + ", not to the approved " + alert.planHash() + ": it changed after approval; nothing was run",
                        0, 0, false);
            }
            log.precheck("plan hash", true, valid.planHash() + " (recomputed from the stored plan)");
            plan = valid.plan();
            List<String> approvalProblems = approvalRules.problems(alert, valid.planHash());
            if (!approvalProblems.isEmpty()) {
                log.precheck("approvals", false, String.join("; ", approvalProblems));
                concluding = true;
                return fail(alert, log, started, "the approvals do not allow this plan to run ("
                        + String.join("; ", approvalProblems) + "); nothing was run", 0, executable(plan), false);
            }
            log.precheck("approvals", true, alert.approvals().size() + " of " + Math.max(alert.requiredApprovals(),
                    ApprovalRules.required(alert.severity())) + " by " + alert.approvedBy() + ", for this plan");
            Instant approvedAt = alert.approvedAt() == null ? alert.timestamp() : alert.approvedAt();
            if (approvedAt.plus(timing.approvalWindow()).isBefore(clock.instant())) {
                log.precheck("approval age", false, "approved at " + approvedAt);
                concluding = true;
                return expire(alert, log, "approved at " + approvedAt + ", but approvals run within "
                        + timing.approvalWindow().toHours() + " h; approve again to run it");
            }
            log.precheck("approval age", true, "approved at " + approvedAt);
            if (!windows.isOpen(alert.severity(), clock.instant())) {
                Instant opening = windows.nextOpening(alert.severity(), clock.instant());
                log.precheck("execution window", false, windows.describe(alert.severity()));
                concluding = true;
                return defer(request, alert, log, opening, "the execution window for " + alert.severity()
                        + " alerts (" + windows.describe(alert.severity()) + ") is closed");
            }
            log.precheck("execution window", true, windows.describe(alert.severity()));
            ProbeResult now = probe.probe(URI.create(alert.targetUrl()));
            if (now.healthy()) {
                log.precheck("issue still present", false, "the target is healthy: " + now.details());
                concluding = true;
                return recovered(alert, log, "the target was healthy again before anything was changed ("
                        + now.details() + ")");
            }
            log.precheck("issue still present", true, now.classification() + ": " + now.details());
            if (executable(plan) == 0) {
                concluding = true;
                return handOver(alert, log, plan, now.classification() + ": " + now.details());
            }
            Optional<String> limit = limits.acquire(alert.alertId(), clock.instant());
            if (limit.isPresent()) {
                log.precheck("rate limits", false, limit.get());
                concluding = true;
                return defer(request, alert, log, clock.instant().plus(timing.retryAfter()), limit.get());
            }
            slot = true;
            log.precheck("rate limits", true, "a running slot and this hour's quota are taken");
            List<String> resources = plan.steps().stream().filter(s -> s.action().executable())
                    .flatMap(s -> executors.forAction(s.action()).resources(s.action()).stream()).distinct().toList();
            Optional<String> held = locks.lockAll(resources, alert.alertId(), clock.instant());
            if (held.isPresent()) {
                log.precheck("resource locks", false, held.get());
                concluding = true;
                return defer(request, alert, log, clock.instant().plus(timing.retryAfter()), held.get());
            }
            locked = resources;
            log.precheck("resource locks", true, resources.isEmpty() ? "nothing to lock" : String.join(", ", resources));
            Preflight.Result checked = preflight.run(plan, evidence(alert), log);
            if (checked.refusal().isPresent()) {
                concluding = true;
                return fail(alert, log, started, checked.refusal().get() + "; nothing was changed", 0,
                        executable(plan), false);
            }
            StepRunner.RunResult ran = runner.run(alert, plan, checked.observed(), log, progress);
            if (ran.failure().isPresent()) {
                concluding = true;
                return rollBack(alert, log, started, progress.applied(), ran.failure().get(), ran.stepsDone(), plan);
            }
            if (timing.dryRun()) {
                log.verification("dry run: nothing was changed, so the target was not verified");
                concluding = true;
                return finish(alert, log, started, ExecutionStatus.COMPLETED, "DRY RUN: " + steps(ran.stepsDone())
                        + " shown and nothing changed (no AWS credentials are configured)", ran.stepsDone(),
                        executable(plan), false);
            }
            Optional<String> late = progress.outOfTime();
            if (late.isPresent()) {
                log.verification("not verified: " + late.get());
                concluding = true;
                return rollBack(alert, log, started, progress.applied(), "the target could not be verified in time ("
                        + late.get() + ")", ran.stepsDone(), plan);
            }
            Verifier.Result verified = verifier.verify(URI.create(alert.targetUrl()), log, progress.spare());
            concluding = true;
            if (!verified.healthy()) {
                return rollBack(alert, log, started, progress.applied(), "the target was still failing after the plan ("
                        + verified.last() + ")", ran.stepsDone(), plan);
            }
            return finish(alert, log, started, ExecutionStatus.COMPLETED, (ran.stepsDone() == 1 ? "1 step"
                    : "all " + steps(ran.stepsDone())) + " done and the target is healthy (" + verified.last() + ")",
                    ran.stepsDone(), executable(plan), false);
        } catch (RuntimeException e) {
            // Never leave an alert EXECUTING unrecorded, nor a change standing that nobody verified: undo what
            // was applied and record what is known, then let Lambda see the failure. A failure while the outcome
            // was being recorded is left to the scheduled run, which finds the alert still EXECUTING.
            LOG.error("execution stopped by an unexpected error: {}", e.toString());
            if (!concluding) {
                String cause = "stopped by an unexpected error (" + e + ")";
                List<AppliedStep> applied = progress.applied();
                if (applied.isEmpty()) {
                    fail(alert, log, started, cause + "; nothing had been changed", 0,
                            plan == null ? 0 : executable(plan), false);
                } else {
                    rollBack(alert, log, started, applied, cause, applied.size(), plan);
                }
            }
            throw e;
        } finally {
            locks.releaseAll(locked, alert.alertId());
            if (slot) {
                limits.release(alert.alertId());
            }
        }
    }

    /** Writes down on the alert a change AWS accepted, before anything else happens. */
    private void journal(Alert alert, AppliedStep step) {
        boolean written = alerts.appendEvent(alert.alertId(), AuditEvent.of(clock.instant(), AuditAction.STEP_APPLIED,
                EXECUTOR, step.step().id(), step.step().action().name() + " accepted"
                        + (step.version() == null ? "" : "; version " + step.version())));
        if (!written) {
            throw new IllegalStateException("the alert " + alert.alertId() + " is gone; the applied step "
                    + step.step().id() + " could not be journaled");
        }
    }

    /**
     * Undoes every applied step in reverse order, as the approved plan allows: a step whose approved inverse
     * is irreversible stays as done; the others are restored to the state captured before them, each only if
     * it is still as this execution left it. Any failure of one restore is recorded and the rest go on.
     */
    private ExecutionOutcome rollBack(Alert alert, ExecutionLog log, Instant started, List<AppliedStep> applied,
            String cause, int done, Plan plan) {
        int total = plan == null ? applied.size() : executable(plan);
        if (applied.isEmpty()) {
            return finish(alert, log, started, ExecutionStatus.FAILED, cause + "; nothing had been changed", done,
                    total, false);
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
        return concludeRollback(alert, log, started, cause, done, total, undone, stillChanged, irreversible);
    }

    private ExecutionOutcome concludeRollback(Alert alert, ExecutionLog log, Instant started, String cause, int done,
            int total, List<String> undone, List<String> stillChanged, List<String> irreversible) {
        String rest = (undone.isEmpty() ? "" : "; undone: " + String.join(", ", undone))
                + (irreversible.isEmpty() ? "" : irreversible.size() == 1
                        ? "; irreversible step " + irreversible.getFirst() + " stays as done"
                        : "; irreversible steps " + String.join(", ", irreversible) + " stay as done");
        if (stillChanged.isEmpty() && !undone.isEmpty()) {
            return finish(alert, log, started, ExecutionStatus.ROLLED_BACK, cause + "; the changes were rolled back"
                    + rest, done, total, true);
        }
        if (stillChanged.isEmpty()) {
            return finish(alert, log, started, ExecutionStatus.FAILED, cause + "; nothing could be rolled back" + rest,
                    done, total, false);
        }
        return finish(alert, log, started, ExecutionStatus.FAILED, cause + "; rollback failed, still changed: "
                + String.join("; ", stillChanged) + rest, done, total, true);
    }

    /**
     * Rolls back the executions that outlived their invocation: alerts still EXECUTING well after their
     * execution started. Each is taken over with one conditional write (so one run does it), and the steps
     * its journal says AWS accepted are undone in reverse order with the plan's approved inverses, each only
     * if the resource is still as the step left it.
     */
    public List<ExecutionOutcome> recoverStuck() {
        Instant now = clock.instant();
        List<ExecutionOutcome> outcomes = new ArrayList<>();
        for (Alert candidate : alerts.listExecuting(RECOVERY_BATCH)) {
            Instant startedAt = lastStart(candidate);
            if (startedAt.plus(timing.stuckAfter()).isAfter(now)) {
                continue;
            }
            try (var ignored = LogContext.alert(candidate.alertId())) {
                TransitionResult taken = alerts.apply(candidate.takeOverExecution(EXECUTOR, "the execution started at "
                        + startedAt + " did not finish within " + timing.stuckAfter().toMinutes() + " min; rolling back "
                        + "what it applied", now));
                if (taken instanceof TransitionResult.Applied applied) {
                    outcomes.add(recover(applied.alert(), startedAt));
                }
            }
        }
        return outcomes;
    }

    private ExecutionOutcome recover(Alert alert, Instant startedAt) {
        ExecutionLog log = new ExecutionLog(alert, "recovery", clock);
        String cause = "the execution started at " + startedAt + " stopped before it finished (its invocation ended)";
        if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
            return finish(alert, log, startedAt, ExecutionStatus.FAILED, cause + "; its plan cannot be read, so "
                    + "nothing could be rolled back: check the resources by hand", 0, 0, false);
        }
        Plan plan = valid.plan();
        List<AuditEvent> journal = journalSince(alert, startedAt);
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
        List<String> resources = plan.steps().stream().filter(s -> s.action().executable())
                .flatMap(s -> executors.forAction(s.action()).resources(s.action()).stream()).distinct().toList();
        locks.releaseAll(resources, alert.alertId());
        limits.release(alert.alertId());
        if (journal.isEmpty()) {
            return finish(alert, log, startedAt, ExecutionStatus.FAILED, cause + "; its journal names no applied "
                    + "step, so nothing had been changed", 0, executable(plan), false);
        }
        return concludeRollback(alert, log, startedAt, cause, journal.size(), executable(plan), undone, stillChanged,
                irreversible);
    }

    /** When the alert's current execution started (its last claim). */
    private static Instant lastStart(Alert alert) {
        return alert.audit().stream().filter(e -> e.action() == AuditAction.EXECUTION_STARTED)
                .map(AuditEvent::at).reduce((a, b) -> b).orElse(alert.timestamp());
    }

    /** The steps the execution started at {@code startedAt} journaled as applied, in order. */
    private static List<AuditEvent> journalSince(Alert alert, Instant startedAt) {
        return alert.audit().stream().filter(e -> e.action() == AuditAction.STEP_APPLIED && !e.at().isBefore(startedAt))
                .toList();
    }

    /**
     * A plan of steps for a person only: nothing is run, and nothing is pretended. The alert goes back to
     * APPROVED, open until the target is healthy again (the monitor then resolves it), and the people are
     * told what to do.
     */
    private ExecutionOutcome handOver(Alert alert, ExecutionLog log, Plan plan, String failing) {
        for (PlanStep step : plan.steps()) {
            log.step(step, "not executed: for a person", List.of(), Duration.ZERO);
        }
        List<String> instructions = plan.steps().stream().map(s -> s.action() instanceof Action.ManualStep m
                ? m.instructions() : s.action().name()).toList();
        String detail = forAPerson(plan) + ": nothing was run, and the target is still failing (" + failing
                + "); the alert stays open until it is healthy again";
        log.outcome("WAITING FOR A PERSON", detail);
        String key = storeLog(alert, log);
        record(alert.handOver(EXECUTOR, detail, artifacts.location(key).toString(), clock.instant()));
        notify.accept(new Notification.ActionNeeded(Notification.AlertRef.of(alert), instructions,
                logLinks.link(alert.alertId(), key), detail));
        LOG.info("handed over to a person: {}", detail);
        return new ExecutionOutcome.Finished(alert.alertId(), AlertState.APPROVED, detail);
    }

    private ExecutionOutcome fail(Alert alert, ExecutionLog log, Instant started, String reason, int done, int total,
            boolean rolledBack) {
        return finish(alert, log, started, ExecutionStatus.FAILED, reason, done, total, rolledBack);
    }

    private ExecutionOutcome finish(Alert alert, ExecutionLog log, Instant started, ExecutionStatus status,
            String detail, int done, int total, boolean rolledBack) {
        log.outcome(status.name(), detail);
        String key = storeLog(alert, log);
        Instant now = clock.instant();
        ExecutionReport report = new ExecutionReport(status, started, now, artifacts.location(key).toString(), detail);
        Alert stored = record(alert.finishExecution(report, EXECUTOR, now));
        boolean completed = status == ExecutionStatus.COMPLETED;
        metrics.put(Metric.sample(MetricName.EXECUTION_SUCCESS_RATE, completed).alert(alert.alertId()));
        metrics.put(Metric.of(MetricName.EXECUTION_DURATION, Duration.between(started, now)).alert(alert.alertId()));
        metrics.put(Metric.of(MetricName.EXECUTION_ERRORS, completed ? 0 : 1).alert(alert.alertId()));
        closed(alert);
        notify.accept(new Notification.ExecutionFinished(Notification.AlertRef.of(alert), status, done, total,
                Duration.between(started, now), rolledBack, logLinks.link(alert.alertId(), key), detail));
        LOG.info("execution {}: {}", status, detail);
        return new ExecutionOutcome.Finished(alert.alertId(), stored.state(), detail);
    }

    private ExecutionOutcome expire(Alert alert, ExecutionLog log, String reason) {
        log.outcome("EXPIRED", reason);
        storeLog(alert, log);
        Alert stored = record(alert.expire(EXECUTOR, reason, clock.instant()));
        closed(alert);
        notify.accept(new Notification.AlertExpired(Notification.AlertRef.of(alert), reason));
        LOG.info("approval expired: {}", reason);
        return new ExecutionOutcome.Finished(alert.alertId(), stored.state(), reason);
    }

    private ExecutionOutcome recovered(Alert alert, ExecutionLog log, String detail) {
        log.outcome("RESOLVED", detail);
        storeLog(alert, log);
        Alert stored = record(alert.resolveRecovered(EXECUTOR, detail, clock.instant()));
        closed(alert);
        notify.accept(new Notification.AlertRecovered(Notification.AlertRef.of(alert), detail));
        LOG.info("resolved without executing: {}", detail);
        return new ExecutionOutcome.Finished(alert.alertId(), stored.state(), detail);
    }

    private ExecutionOutcome defer(ExecutionRequest request, Alert alert, ExecutionLog log, Instant at, String reason) {
        String detail = reason + "; it runs at " + at;
        log.outcome("DEFERRED", detail);
        storeLog(alert, log);
        deferred.schedule(request, at);
        record(alert.deferExecution(EXECUTOR, detail, clock.instant()));
        notify.accept(new Notification.ExecutionDeferred(Notification.AlertRef.of(alert), reason, at));
        LOG.info("execution deferred: {}", detail);
        return new ExecutionOutcome.Deferred(alert.alertId(), at, reason);
    }

    /** A closed alert that people decided on was never a false positive, even when the target recovered meanwhile. */
    private void closed(Alert alert) {
        metrics.put(Metric.sample(MetricName.FALSE_POSITIVE_RATE, false).severity(alert.severity())
                .alert(alert.alertId()));
    }

    /** Stores the transition; the claim makes a conflict impossible unless someone edits the table by hand. */
    private Alert record(Transition transition) {
        TransitionResult result = alerts.apply(transition);
        if (result instanceof TransitionResult.Applied applied) {
            if (applied.alert().state().isTerminal()) {
                archive(applied.alert());
            }
            return applied.alert();
        }
        throw new IllegalStateException("the alert changed while this execution held it: " + result);
    }

    private String storeLog(Alert alert, ExecutionLog log) {
        return artifacts.put(new Artifact(ArtifactKind.EXECUTION_LOG, alert.alertId(), alert.domain(), clock.instant(),
                log.markdown().getBytes(StandardCharsets.UTF_8)));
    }

    private void archive(Alert alert) {
        try {
            artifacts.put(new Artifact(ArtifactKind.ARCHIVE, alert.alertId(), alert.domain(), clock.instant(),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(RecordJson.toJson(alert))));
        } catch (IOException | SdkException e) {
            LOG.warn("the closed alert could not be archived: {}", e.toString());
        }
    }

    private JsonNode evidence(Alert alert) {
        if (alert.evidenceKey() == null) {
            return null;
        }
        try {
            return JSON.readTree(artifacts.get(alert.evidenceKey()).content()).path("items");
        } catch (IOException | ArtifactNotFoundException e) {
            return null;
        }
    }

    /** "1 step", "3 steps". */
    private static String steps(int count) {
        return count + (count == 1 ? " step" : " steps");
    }

    /** Why nothing ran for a plan of manual steps only, in words. */
    private static String forAPerson(Plan plan) {
        return plan.steps().size() == 1 ? "the plan's step is for a person"
                : "the plan's " + plan.steps().size() + " steps are for a person";
    }

    private static int executable(Plan plan) {
        return (int) plan.steps().stream().filter(s -> s.action().executable()).count();
    }
}
