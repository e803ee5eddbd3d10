package dev.cloudops.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ExecutionReport;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.CallRecord;
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
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs exactly the approved plan, once (DESIGN.md section 8): claims the alert with one conditional write,
 * refuses or defers before touching anything when the plan hash, the approval's age, the execution window,
 * the target's health, the rate limits or a resource lock say so, preflights every step, runs the steps,
 * verifies the target, rolls back on failure, and records everything — log to S3, alert, archive,
 * notification — on every path. Reports each execution started, and each finished one: its duration,
 * whether it succeeded, and each failure.
 */
public final class PlanExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);
    private static final Actor EXECUTOR = Actor.system("execution");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How long an approval stays good for, how long to wait before retrying after a limit or lock, and
     * whether this is a dry run (executors that only describe their calls: nothing changes, so nothing is
     * verified, and the outcome says so).
     */
    public record Timing(Duration approvalWindow, Duration retryAfter, boolean dryRun) {
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

    public PlanExecutor(AlertRepository alerts, ArtifactStore artifacts, StepExecutors executors, Preflight preflight,
            StepRunner runner, ExecutionWindows windows, ExecutionLimits limits, ResourceLocks locks,
            DeferredExecutions deferred, TargetProbe probe, Verifier verifier, Consumer<Notification> notify, LogLinks logLinks,
            Clock clock, Timing timing, Metrics metrics) {
        this.alerts = alerts;
        this.artifacts = artifacts;
        this.executors = executors;
        this.preflight = preflight;
        this.runner = runner;
        this.windows = windows;
        this.limits = limits;
        this.locks = locks;
        this.deferred = deferred;
        this.probe = probe;
        this.verifier = verifier;
        this.notify = notify;
        this.logLinks = logLinks;
        this.clock = clock;
        this.timing = timing;
        this.metrics = metrics;
    }

    /** Handles one execute message; a duplicate (or a message for an alert no longer APPROVED) is a no-op. */
    public ExecutionOutcome execute(ExecutionRequest request) {
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
            return run(request, applied.alert());
        }
    }

    private ExecutionOutcome run(ExecutionRequest request, Alert alert) {
        Instant started = clock.instant();
        ExecutionLog log = new ExecutionLog(alert, runner.mode(), clock);
        List<String> locked = List.of();
        boolean slot = false;
        Plan plan = null;
        try {
            if (!request.planHash().equals(alert.planHash())) {
                log.precheck("plan hash", false, "message " + request.planHash() + ", approved " + alert.planHash());
                return fail(alert, log, started, "the execute message's plan_hash " + request.planHash()
                        + " is not the approved plan's " + alert.planHash() + "; nothing was run", 0, 0, false);
            }
            log.precheck("plan hash", true, alert.planHash());
            if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
                return fail(alert, log, started, "the approved plan cannot be read; nothing was run", 0, 0, false);
            }
            plan = valid.plan();
            Instant approvedAt = alert.approvedAt() == null ? alert.timestamp() : alert.approvedAt();
            if (approvedAt.plus(timing.approvalWindow()).isBefore(clock.instant())) {
                log.precheck("approval age", false, "approved at " + approvedAt);
                return expire(alert, log, "approved at " + approvedAt + ", but approvals run within "
                        + timing.approvalWindow().toHours() + " h; approve again to run it");
            }
            log.precheck("approval age", true, "approved at " + approvedAt);
            if (!windows.isOpen(alert.severity(), clock.instant())) {
                Instant opening = windows.nextOpening(alert.severity(), clock.instant());
                log.precheck("execution window", false, windows.describe(alert.severity()));
                return defer(request, alert, log, opening, "the execution window for " + alert.severity()
                        + " alerts (" + windows.describe(alert.severity()) + ") is closed");
            }
            log.precheck("execution window", true, windows.describe(alert.severity()));
            ProbeResult now = probe.probe(URI.create(alert.targetUrl()));
            if (now.healthy()) {
                log.precheck("issue still present", false, "the target is healthy: " + now.details());
                return recovered(alert, log, "the target was healthy again before anything was changed ("
                        + now.details() + ")");
            }
            log.precheck("issue still present", true, now.classification() + ": " + now.details());
            Optional<String> limit = limits.acquire(alert.alertId(), clock.instant());
            if (limit.isPresent()) {
                log.precheck("rate limits", false, limit.get());
                return defer(request, alert, log, clock.instant().plus(timing.retryAfter()), limit.get());
            }
            slot = true;
            log.precheck("rate limits", true, "a running slot and this hour's quota are taken");
            List<String> resources = plan.steps().stream().filter(s -> s.action().executable())
                    .flatMap(s -> executors.forAction(s.action()).resources(s.action()).stream()).distinct().toList();
            Optional<String> held = locks.lockAll(resources, alert.alertId(), clock.instant());
            if (held.isPresent()) {
                log.precheck("resource locks", false, held.get());
                return defer(request, alert, log, clock.instant().plus(timing.retryAfter()), held.get());
            }
            locked = resources;
            log.precheck("resource locks", true, resources.isEmpty() ? "nothing to lock" : String.join(", ", resources));
            Preflight.Result checked = preflight.run(plan, evidence(alert), log);
            if (checked.refusal().isPresent()) {
                return fail(alert, log, started, checked.refusal().get() + "; nothing was changed", 0,
                        executable(plan), false);
            }
            StepRunner.RunResult ran = runner.run(alert, plan, checked.observed(), log);
            if (ran.failure().isPresent()) {
                return rollBack(alert, log, started, ran.applied(), ran.failure().get(), ran.stepsDone(), plan);
            }
            if (timing.dryRun()) {
                log.verification("dry run: nothing was changed, so the target was not verified");
                String shown = executable(plan) == 0 ? forAPerson(plan) + "; nothing was run"
                        : steps(ran.stepsDone()) + " shown and nothing changed";
                return finish(alert, log, started, ExecutionStatus.COMPLETED, "DRY RUN: " + shown
                        + " (no AWS credentials are configured)", ran.stepsDone(), executable(plan), false);
            }
            Verifier.Result verified = verifier.verify(URI.create(alert.targetUrl()), log);
            if (executable(plan) == 0) {
                return verified.healthy()
                        ? finish(alert, log, started, ExecutionStatus.COMPLETED, forAPerson(plan)
                                + ", and the target is healthy (" + verified.last() + ")", 0, 0, false)
                        : fail(alert, log, started, forAPerson(plan) + " and nothing was run; the target is still "
                                + "failing (" + verified.last() + ")", 0, 0, false);
            }
            if (!verified.healthy()) {
                return rollBack(alert, log, started, ran.applied(), "the target was still failing after the plan ("
                        + verified.last() + ")", ran.stepsDone(), plan);
            }
            return finish(alert, log, started, ExecutionStatus.COMPLETED, (ran.stepsDone() == 1 ? "1 step"
                    : "all " + steps(ran.stepsDone())) + " done and the target is healthy (" + verified.last() + ")",
                    ran.stepsDone(), executable(plan), false);
        } catch (RuntimeException e) {
            // Never leave an alert EXECUTING unrecorded: record what is known, then let Lambda see the failure.
            LOG.error("execution stopped by an unexpected error: {}", e.toString());
            fail(alert, log, started, "stopped by an unexpected error (" + e + "); see the log for what ran", 0,
                    plan == null ? 0 : executable(plan), false);
            throw e;
        } finally {
            locks.releaseAll(locked, alert.alertId());
            if (slot) {
                limits.release(alert.alertId());
            }
        }
    }

    private ExecutionOutcome rollBack(Alert alert, ExecutionLog log, Instant started, List<AppliedStep> applied,
            String cause, int done, Plan plan) {
        List<String> stillChanged = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        for (AppliedStep step : applied.reversed()) {
            PlanStep s = step.step();
            if (!step.reversible()) {
                String why = s.inverse() instanceof Inverse.Irreversible i ? i.reason() : "no inverse";
                log.rollback(s, "not undone: irreversible (" + why + ")", List.of());
                irreversible.add(s.id());
                continue;
            }
            try {
                List<CallRecord> calls = executors.forAction(s.action()).undo(step);
                log.rollback(s, "undone", calls);
            } catch (StepFailedException e) {
                log.rollback(s, "FAILED: " + e.getMessage(), e.calls());
                stillChanged.add(s.id() + " (" + s.action().name() + ": " + e.getMessage() + ")");
            } catch (SdkException e) {
                log.rollback(s, "FAILED: " + e.getMessage(), List.of());
                stillChanged.add(s.id() + " (" + s.action().name() + ": " + e.getMessage() + ")");
            }
        }
        String rest = irreversible.isEmpty() ? "" : irreversible.size() == 1
                ? "; irreversible step " + irreversible.getFirst() + " stays as done"
                : "; irreversible steps " + String.join(", ", irreversible) + " stay as done";
        if (applied.isEmpty()) {
            return finish(alert, log, started, ExecutionStatus.FAILED, cause + "; nothing had been changed", done,
                    executable(plan), false);
        }
        if (stillChanged.isEmpty()) {
            return finish(alert, log, started, ExecutionStatus.ROLLED_BACK, cause + "; the changes were undone" + rest,
                    done, executable(plan), true);
        }
        return finish(alert, log, started, ExecutionStatus.FAILED, cause + "; rollback failed, still changed: "
                + String.join("; ", stillChanged) + rest, done, executable(plan), true);
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
