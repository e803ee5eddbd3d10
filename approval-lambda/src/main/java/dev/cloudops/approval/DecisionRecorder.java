package dev.cloudops.approval;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.DuplicateApproverException;
import dev.cloudops.alert.StalePlanException;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.approval.page.Grants;
import dev.cloudops.json.Json;
import dev.cloudops.logging.LogContext;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.orchestration.ExecutionTrigger;
import dev.cloudops.plan.SessionScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Records approve/reject decisions: checks age and policy, then one conditional write. A lost race ends
 * as AlreadyDecided; for a critical alert a concurrent first approval is re-read and the decision tried
 * again. An approval that completes the alert triggers execution of its plan, exactly once; when that fails
 * (the execute message cannot be published) the approval stands and the alert records that the execution is
 * still to be started. With the alert workflow (ORCHESTRATION=stepfunctions) the decision, and an expiry, answer
 * the workflow's approval step instead, after the write: a failed answer leaves the decision stored, and the
 * step reads it when its await_decision task runs again. Each final decision is reported: how long after the
 * alert it came, and whether it approved or rejected. With an executor role ({@code EXECUTOR_ROLE_ARN}) an approval
 * also names the session policy it was shown ({@link Grants}), and is refused unless that is the policy of the
 * alert's plan now.
 */
public final class DecisionRecorder {

    /** What was asked. */
    public enum Verdict { APPROVE, REJECT }

    private static final Logger LOG = LoggerFactory.getLogger(DecisionRecorder.class);
    private static final int ATTEMPTS = 5;
    /** How often at most a refused attempt is noted on its alert; the audit log has every one. */
    static final Duration REFUSAL_NOTE_EVERY = Duration.ofSeconds(10);

    private final AlertRepository alerts;
    private final ApprovalPolicy policy;
    private final ExecutionTrigger trigger;
    private final AlertWorkflow workflow;
    private final Clock clock;
    private final Duration decisionWindow;
    private final DecisionEvents events;
    private final Metrics metrics;
    private final Optional<SessionScope> executor;

    /** Direct orchestration: an approval publishes the execute message. */
    public DecisionRecorder(AlertRepository alerts, ApprovalPolicy policy, ExecutionTrigger trigger, Clock clock,
            Duration decisionWindow, DecisionEvents events, Metrics metrics, Optional<SessionScope> executor) {
        this(alerts, policy, trigger, null, clock, decisionWindow, events, metrics, executor);
    }

    /** The alert workflow: a decision (or an expiry) answers the workflow's approval step. */
    public DecisionRecorder(AlertRepository alerts, ApprovalPolicy policy, AlertWorkflow workflow, Clock clock,
            Duration decisionWindow, DecisionEvents events, Metrics metrics, Optional<SessionScope> executor) {
        this(alerts, policy, null, Objects.requireNonNull(workflow, "workflow"), clock, decisionWindow,
                events, metrics, executor);
    }

    /**
     * The alert workflow, and the execute topic for alerts that have none (raised before the switch to Step
     * Functions): their approval publishes the execute message, as in direct mode.
     */
    public DecisionRecorder(AlertRepository alerts, ApprovalPolicy policy, AlertWorkflow workflow,
            ExecutionTrigger withoutWorkflow, Clock clock, Duration decisionWindow, DecisionEvents events,
            Metrics metrics, Optional<SessionScope> executor) {
        this(alerts, policy, Objects.requireNonNull(withoutWorkflow, "withoutWorkflow"),
                Objects.requireNonNull(workflow, "workflow"), clock, decisionWindow, events, metrics, executor);
    }

    private DecisionRecorder(AlertRepository alerts, ApprovalPolicy policy, ExecutionTrigger trigger,
            AlertWorkflow workflow, Clock clock, Duration decisionWindow, DecisionEvents events, Metrics metrics,
            Optional<SessionScope> executor) {
        this.alerts = alerts;
        this.policy = policy;
        this.trigger = trigger;
        this.workflow = workflow;
        this.clock = clock;
        this.decisionWindow = decisionWindow;
        this.events = events;
        this.metrics = metrics;
        this.executor = executor;
    }

    public ApprovalPolicy policy() {
        return policy;
    }

    /** What approving {@code alert}'s plan grants its execution now: shown on its page, checked by {@link #decide}. */
    public Grants grants(Alert alert) {
        return Grants.of(executor, alert);
    }

    /** When an alert raised at {@code raisedAt} can no longer be decided. */
    public Instant decisionDeadline(Instant raisedAt) {
        return raisedAt.plus(decisionWindow);
    }

    /**
     * Decides on an alert for this identity; never throws for anything the request contains. An approval
     * names the hash of the plan the person was shown ({@code planHashSeen}); it is refused unless that is
     * the alert's plan now, and kept on the approval for the executor to check. Where approving grants a session
     * policy ({@link Grants.Session}) it also names that policy's hash ({@code policyHashSeen}), refused and kept
     * the same way; elsewhere {@code policyHashSeen} is ignored (a rejection grants nothing).
     */
    public Decision decide(String alertId, Verdict verdict, Identity who, String comment, String planHashSeen,
            String policyHashSeen) {
        Optional<Alert> found = alerts.find(alertId);
        for (int attempt = 0; attempt < ATTEMPTS && found.isPresent(); attempt++) {
            Alert alert = found.get();
            Instant now = clock.instant();
            Actor actor = new Actor(who.name(), who.verified(), who.sourceIp(), who.userAgent());
            if (alert.state() == AlertState.DETECTED) {
                return new Decision.NotReady(alert);
            }
            if (alert.state() == AlertState.EXPIRED) {
                return new Decision.Expired(alert);
            }
            if (alert.state() != AlertState.PENDING_APPROVAL) {
                return new Decision.AlreadyDecided(alert);
            }
            if (alert.timestamp().plus(decisionWindow).isBefore(now)) {
                TransitionResult expired = alerts.apply(alert.expire(Actor.system("approval"),
                        "nobody decided within " + decisionWindow.toHours() + " h", now));
                if (expired instanceof TransitionResult.Applied a) {
                    answerWorkflow(a.alert());
                    metrics.put(Metric.sample(MetricName.FALSE_POSITIVE_RATE, false).severity(alert.severity())
                            .alert(alertId));
                    Decision decision = new Decision.Expired(a.alert());
                    events.recorded(decision);
                    return decision;
                }
                return retryOutcome(expired, alertId);
            }
            Optional<String> refusal = policy.refusal(who, alert.severity());
            if (refusal.isPresent()) {
                refused(alert.alertId(), actor, "refused", refusal.get());
                return new Decision.Forbidden(refusal.get());
            }
            String policyHash = null;
            // An approval of an older plan is refused by alert.approve below (PlanChanged), before its policy matters.
            if (verdict == Verdict.APPROVE && Objects.equals(planHashSeen, alert.planHash())) {
                Grants grants = grants(alert);
                if (grants instanceof Grants.Unapprovable u) {
                    refused(alert.alertId(), actor, "refused", "the plan cannot be approved: " + u.reason());
                    return new Decision.Unapprovable(alert, u.reason());
                }
                if (grants instanceof Grants.Session s) {
                    if (!s.policy().sha256().equals(policyHashSeen)) {
                        refused(alert.alertId(), actor, "refused", "the session policy shown ("
                                + (policyHashSeen == null ? "none" : policyHashSeen) + ") is not the plan's policy now ("
                                + s.policy().sha256() + "); reload the page and decide again");
                        return new Decision.PolicyChanged(alert);
                    }
                    policyHash = policyHashSeen;
                }
            }
            Transition transition;
            try {
                transition = verdict == Verdict.APPROVE
                        ? alert.approve(actor, who.subject(), policy.roleOf(who, alert.severity()), comment,
                                planHashSeen, policyHash, now)
                        : alert.reject(actor, comment == null || comment.isBlank() ? "rejected" : comment, now);
            } catch (DuplicateApproverException e) {
                refused(alert.alertId(), actor, "refused", e.getMessage());
                return new Decision.Forbidden(e.getMessage());
            } catch (StalePlanException e) {
                refused(alert.alertId(), actor, "refused", e.getMessage());
                return new Decision.PlanChanged(alert);
            }
            TransitionResult result = alerts.apply(transition);
            if (result instanceof TransitionResult.Applied applied) {
                Decision decision = outcome(applied.alert());
                report(decision, now);
                events.recorded(decision);
                return decision;
            }
            if (result instanceof TransitionResult.Conflict conflict
                    && conflict.current().state() == AlertState.PENDING_APPROVAL) {
                found = Optional.of(conflict.current()); // a first approval landed meanwhile: decide again on it
                continue;
            }
            return retryOutcome(result, alertId);
        }
        return found.<Decision>map(Decision.AlreadyDecided::new).orElseGet(() -> new Decision.NotFound(alertId));
    }

    private Decision outcome(Alert stored) {
        return switch (stored.state()) {
            case APPROVED -> new Decision.Approved(stored, !handOn(stored));
            case PENDING_APPROVAL -> new Decision.PartiallyApproved(stored,
                    stored.requiredApprovals() - stored.approvals().size());
            case REJECTED -> {
                answerWorkflow(stored);
                yield new Decision.Rejected(stored);
            }
            default -> new Decision.AlreadyDecided(stored);
        };
    }

    /** Hands the approved alert on (workflow answered, or execute message published); false when that failed. */
    private boolean handOn(Alert approved) {
        if (workflow != null && (trigger == null || workflow.runsFor(approved.alertId()))) {
            return answerWorkflow(approved);
        }
        return approved.planHash() == null || startExecution(approved);
    }

    /**
     * Answers the alert workflow's approval step with the decision just stored (nothing when there is no workflow,
     * or no step waits yet: it reads the decision when it begins). The decision stands whatever happens here: a
     * failed answer is logged (without the task token) and noted on the alert, and the step still reads the
     * decision when its await_decision task runs again.
     *
     * @return false when the answer failed
     */
    private boolean answerWorkflow(Alert decided) {
        if (workflow == null) {
            return true;
        }
        try {
            workflow.answer(decided);
            return true;
        } catch (RuntimeException e) {
            String reason = failure(e);
            try (var ignored = LogContext.alert(decided.alertId())) {
                LOG.error("the decision ({}) is stored, but the alert workflow's approval step could not be answered "
                        + "({}); the step reads it when its await_decision task runs again", decided.state(), reason);
                alerts.appendEvent(decided.alertId(), AuditEvent.of(clock.instant(),
                        AuditAction.EXECUTION_TRIGGER_FAILED, Actor.system("approval"), "retry needed",
                        "the alert workflow's approval step was not answered (" + reason + "); it reads the "
                                + decided.state() + " decision when its await_decision task runs again"));
            } catch (RuntimeException notRecorded) {
                LOG.error("the failed answer could not be recorded on the alert either: {}", failure(notRecorded));
            }
            return false;
        }
    }

    /** What failed, without the message: an SDK error's message may quote the request, and so the task token. */
    private static String failure(RuntimeException e) {
        if (e instanceof SdkServiceException s) {
            String code = s instanceof AwsServiceException a
                    && a.awsErrorDetails() != null ? " " + a.awsErrorDetails().errorCode() : "";
            return e.getClass().getSimpleName() + code + " (HTTP " + s.statusCode() + ")";
        }
        return e.getClass().getSimpleName();
    }

    /**
     * Publishes the approved alert's execute message. The approval is stored by then and stands whatever happens
     * here: when the message cannot be published, the alert records that the execution is still to be started and
     * the message that starts it (an operator publishes it again, see docs/operations.md), and the failure is
     * logged.
     *
     * @return whether the message was published
     */
    private boolean startExecution(Alert approved) {
        try {
            trigger.trigger(approved.alertId(), approved.planHash());
            return true;
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String message = Json.mapper().createObjectNode().put("alert_id", approved.alertId())
                    .put("plan_hash", approved.planHash()).toString();
            try (var ignored = LogContext.alert(approved.alertId())) {
                LOG.error("the approval is stored, but its execute message could not be published ({}); "
                        + "publish {} to the execute topic to start it", e.toString(), message);
                boolean noted = alerts.appendEvent(approved.alertId(), AuditEvent.of(clock.instant(),
                        AuditAction.EXECUTION_TRIGGER_FAILED, Actor.system("approval"), "retry needed",
                        "the execute message was not published (" + reason + "); publish " + message
                                + " to the execute topic to start the approved plan"));
                if (!noted) {
                    LOG.warn("the alert is gone; the failed start was not recorded on it");
                }
            } catch (RuntimeException notRecorded) {
                LOG.error("the failed start could not be recorded on the alert either", notRecorded);
            }
            return false;
        }
    }

    /** Latency and approval/rejection samples of a final decision; a rejection also closes the alert. */
    private void report(Decision decision, Instant now) {
        Alert decided = switch (decision) {
            case Decision.Approved a -> a.alert();
            case Decision.Rejected r -> r.alert();
            default -> null;
        };
        if (decided == null) {
            return;
        }
        boolean approved = decision instanceof Decision.Approved;
        metrics.put(Metric.of(MetricName.APPROVAL_LATENCY, Duration.between(decided.timestamp(), now))
                .severity(decided.severity()).alert(decided.alertId()));
        metrics.put(Metric.sample(MetricName.APPROVAL_RATE, approved).alert(decided.alertId()));
        metrics.put(Metric.sample(MetricName.REJECTION_RATE, !approved).alert(decided.alertId()));
        if (!approved) {
            metrics.put(Metric.sample(MetricName.FALSE_POSITIVE_RATE, false).severity(decided.severity())
                    .alert(decided.alertId()));
        }
    }

    private static Decision retryOutcome(TransitionResult result, String alertId) {
        return switch (result) {
            case TransitionResult.Conflict c -> c.current().state() == AlertState.EXPIRED
                    ? new Decision.Expired(c.current()) : new Decision.AlreadyDecided(c.current());
            case TransitionResult.NotFound n -> new Decision.NotFound(alertId);
            case TransitionResult.Applied a -> new Decision.AlreadyDecided(a.alert());
        };
    }

    /**
     * Records a refused decision attempt: the whole event (who, from where, why) goes to the audit log, and the
     * alert notes only how many there were and when the last was, at most once per {@link #REFUSAL_NOTE_EVERY},
     * so no number of refused attempts can grow an alert or stand in the way of its decision.
     */
    public void refused(String alertId, Actor actor, String result, String reason) {
        alerts.noteRefusal(alertId, AuditEvent.of(clock.instant(), AuditAction.DECISION_REFUSED, actor, result, reason),
                REFUSAL_NOTE_EVERY);
    }
}
