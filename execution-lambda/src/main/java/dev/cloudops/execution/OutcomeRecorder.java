package dev.cloudops.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
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
import dev.cloudops.execution.runbook.RunbookLessons;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.json.RecordJson;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.notify.Notification;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Records how an execution ended, on every path and for both orchestrations: the log to S3, the alert's
 * transition (archived when it closes), the metrics and the notification; and the journal of applied steps
 * on the alert, written as each change is accepted.
 */
final class OutcomeRecorder {

    static final Actor EXECUTOR = Actor.system("execution");

    // The outcome lines keep the logger they always had, so log queries on it still find them.
    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertRepository alerts;
    private final ArtifactStore artifacts;
    private final ArtifactStore archive;
    private final DeferredExecutions deferred;
    private final Consumer<Notification> notify;
    private final LogLinks logLinks;
    private final Metrics metrics;
    private final Clock clock;
    private final Optional<RunbookLessons> lessons;

    OutcomeRecorder(PlanExecutor.Records records, PlanExecutor.Reporting reporting, Clock clock) {
        this.alerts = records.alerts();
        this.artifacts = records.artifacts();
        this.archive = records.archive();
        this.deferred = records.deferred();
        this.lessons = records.lessons();
        this.notify = reporting.notifications();
        this.logLinks = reporting.logLinks();
        this.metrics = reporting.metrics();
        this.clock = clock;
    }

    /**
     * Records a verdict of the prechecks that ends this attempt without running anything. A deferral is
     * scheduled in the DeferredExecutions table when {@code schedule} is given (direct orchestration); the
     * state machine waits for it itself otherwise.
     */
    ExecutionOutcome conclude(PreChecks.Verdict verdict, Alert alert, ExecutionLog log, Instant started,
            Optional<ExecutionRequest> schedule) {
        return switch (verdict) {
            case PreChecks.Refused r -> fail(alert, log, started, r.reason(), 0, r.total(), false);
            case PreChecks.Expired e -> expire(alert, log, e.reason());
            case PreChecks.Deferred d -> defer(schedule, alert, log, d.at(), d.reason());
            case PreChecks.Recovered r -> recovered(alert, log, r.detail());
            case PreChecks.HandOver h -> handOver(alert, log, h.plan(), h.failing());
            case PreChecks.Ready r -> throw new IllegalArgumentException("a plan ready to run is not an outcome");
        };
    }

    /** Writes down on the alert a change AWS accepted, before anything else happens. */
    void journal(Alert alert, AppliedStep step) {
        boolean written = alerts.appendEvent(alert.alertId(), AuditEvent.of(clock.instant(), AuditAction.STEP_APPLIED,
                EXECUTOR, step.step().id(), step.step().action().name() + " accepted"
                        + (step.version() == null ? "" : "; version " + step.version())));
        if (!written) {
            throw new IllegalStateException("the alert " + alert.alertId() + " is gone; the applied step "
                    + step.step().id() + " could not be journaled");
        }
    }

    /**
     * A plan of steps for a person only: nothing is run, and nothing is pretended. The alert goes back to
     * APPROVED, open until the target is healthy again (the monitor then resolves it), and the people are
     * told what to do.
     */
    ExecutionOutcome handOver(Alert alert, ExecutionLog log, Plan plan, String failing) {
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

    ExecutionOutcome fail(Alert alert, ExecutionLog log, Instant started, String reason, int done, int total,
            boolean rolledBack) {
        return finish(alert, log, started, ExecutionStatus.FAILED, reason, done, total, rolledBack);
    }

    /**
     * Finishes the execution with {@code status}; a plan that ran ({@code done} steps) and did not complete demotes the
     * learned runbook that proposed it, if one did.
     */
    ExecutionOutcome finish(Alert alert, ExecutionLog log, Instant started, ExecutionStatus status,
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
        if (!completed && done > 0) {
            lessons.ifPresent(l -> l.failed(alert, detail));
        }
        notify.accept(new Notification.ExecutionFinished(Notification.AlertRef.of(alert), status, done, total,
                Duration.between(started, now), rolledBack, logLinks.link(alert.alertId(), key), detail));
        LOG.info("execution {}: {}", status, detail);
        return new ExecutionOutcome.Finished(alert.alertId(), stored.state(), detail);
    }

    /** The plan ran and the target is healthy: COMPLETED, and the plan is a lesson for the runbooks. */
    ExecutionOutcome completed(Alert alert, ExecutionLog log, Instant started, int done, int total, String verified) {
        ExecutionOutcome outcome = finish(alert, log, started, ExecutionStatus.COMPLETED, (done == 1 ? "1 step"
                : "all " + steps(done)) + " done and the target is healthy (" + verified + ")", done, total, false);
        lessons.ifPresent(l -> l.verified(alert));
        return outcome;
    }

    /** A dry run: the steps were only shown. */
    ExecutionOutcome dryRun(Alert alert, ExecutionLog log, Instant started, int done, int total) {
        log.verification("dry run: nothing was changed, so the target was not verified");
        return finish(alert, log, started, ExecutionStatus.COMPLETED, "DRY RUN: " + steps(done)
                + " shown and nothing changed (no AWS credentials are configured)", done, total, false);
    }

    /** Why a plan that ran did not complete when the target still fails afterwards. */
    static String stillFailing(String lastProbe) {
        return "the target was still failing after the plan (" + lastProbe + ")";
    }

    ExecutionOutcome expire(Alert alert, ExecutionLog log, String reason) {
        log.outcome("EXPIRED", reason);
        storeLog(alert, log);
        Alert stored = record(alert.expire(EXECUTOR, reason, clock.instant()));
        closed(alert);
        notify.accept(new Notification.AlertExpired(Notification.AlertRef.of(alert), reason));
        LOG.info("approval expired: {}", reason);
        return new ExecutionOutcome.Finished(alert.alertId(), stored.state(), reason);
    }

    ExecutionOutcome recovered(Alert alert, ExecutionLog log, String detail) {
        log.outcome("RESOLVED", detail);
        storeLog(alert, log);
        Alert stored = record(alert.resolveRecovered(EXECUTOR, detail, clock.instant()));
        closed(alert);
        notify.accept(new Notification.AlertRecovered(Notification.AlertRef.of(alert), detail));
        LOG.info("resolved without executing: {}", detail);
        return new ExecutionOutcome.Finished(alert.alertId(), stored.state(), detail);
    }

    ExecutionOutcome defer(Optional<ExecutionRequest> schedule, Alert alert, ExecutionLog log, Instant at,
            String reason) {
        String detail = reason + "; it runs at " + at;
        log.outcome("DEFERRED", detail);
        storeLog(alert, log);
        schedule.ifPresent(request -> deferred.schedule(request, at));
        record(alert.deferExecution(EXECUTOR, detail, clock.instant()));
        notify.accept(new Notification.ExecutionDeferred(Notification.AlertRef.of(alert), reason, at));
        LOG.info("execution deferred: {}", detail);
        return new ExecutionOutcome.Deferred(alert.alertId(), at, reason);
    }

    /** Stores the log under its key (dated by the log, or now) and answers the key. */
    String storeLog(Alert alert, ExecutionLog log) {
        return artifacts.put(new Artifact(ArtifactKind.EXECUTION_LOG, alert.alertId(), alert.domain(),
                log.keyInstant(), log.markdown().getBytes(StandardCharsets.UTF_8)));
    }

    /** The log stored under the key dated by {@code keyedAt}, if there is one. */
    Optional<String> storedLog(Alert alert, Instant keyedAt) {
        String key = new Artifact(ArtifactKind.EXECUTION_LOG, alert.alertId(), alert.domain(), keyedAt, new byte[0])
                .key();
        try {
            return Optional.of(new String(artifacts.get(key).content(), StandardCharsets.UTF_8));
        } catch (ArtifactNotFoundException e) {
            return Optional.empty();
        }
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

    private void archive(Alert alert) {
        try {
            archive.put(new Artifact(ArtifactKind.ARCHIVE, alert.alertId(), alert.domain(), clock.instant(),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(RecordJson.toJson(alert)
                            // The trail's head, so the archive alone can be verified (ArchivedTrail).
                            .put("audit_head", alert.auditHead().wire()))));
        } catch (IOException | SdkException e) {
            LOG.warn("the closed alert could not be archived: {}", e.toString());
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
}
