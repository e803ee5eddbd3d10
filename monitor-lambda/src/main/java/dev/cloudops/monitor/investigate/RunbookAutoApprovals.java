package dev.cloudops.monitor.investigate;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.json.Json;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.runbook.AutoApproval;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auto-approval of a learned runbook's proposal ({@link AutoApproval}): once the alert waits for approval with a
 * runbook's plan, the runbook is read again and, if a person set it to approve LOW alerts by itself and its record
 * allows it now, the plan is approved in its name with one conditional write (a person deciding first wins), naming
 * the session policy the execution would get, as a person's approval does. The approved alert is then handed on
 * ({@code handOn}: the execute message in direct orchestration; nothing with the alert workflow, which goes on by
 * itself). Anything in the way leaves the alert waiting for people, as without the option.
 */
public final class RunbookAutoApprovals {

    private static final Logger LOG = LoggerFactory.getLogger(RunbookAutoApprovals.class);

    private final RunbookStore store;
    private final AlertRepository alerts;
    private final Optional<SessionScope> executor;
    private final Consumer<Alert> handOn;
    private final Clock clock;

    public RunbookAutoApprovals(RunbookStore store, AlertRepository alerts, Optional<SessionScope> executor,
            Consumer<Alert> handOn, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.executor = executor;
        this.handOn = handOn;
        this.clock = clock;
    }

    /** The alert approved by its runbook and handed on, or as it was when the runbook may not approve it. */
    Alert approveIfAllowed(Alert pending) {
        if (pending.state() != AlertState.PENDING_APPROVAL || pending.runbookId() == null) {
            return pending;
        }
        Runbook runbook;
        try {
            Optional<Runbook> found = store.find(pending.runbookId());
            if (found.isEmpty()) {
                LOG.warn("runbook {} is gone; its plan waits for a person", pending.runbookId());
                return pending;
            }
            runbook = found.get();
        } catch (RuntimeException e) {
            LOG.warn("runbook {} could not be read ({}); its plan waits for a person", pending.runbookId(),
                    e.toString());
            return pending;
        }
        Optional<String> refusal = AutoApproval.refusal(runbook, pending);
        if (refusal.isPresent()) {
            LOG.info("not approved by the runbook itself ({}); the plan waits for a person", refusal.get());
            return pending;
        }
        Optional<Policy> policy = policy(pending);
        if (policy.isEmpty()) {
            return pending;
        }
        TransitionResult result = alerts.apply(AutoApproval.approve(runbook, pending, policy.get().sha256(),
                clock.instant()));
        return switch (result) {
            case TransitionResult.Applied applied -> {
                LOG.info("approved by runbook {} by itself ({} verified successes, from {} on)", runbook.id(),
                        runbook.verifiedSuccesses(), runbook.autoApproveAfter());
                yield handedOn(applied.alert());
            }
            case TransitionResult.Conflict conflict -> {
                LOG.info("not approved by the runbook: the alert became {} meanwhile", conflict.current().state());
                yield conflict.current();
            }
            case TransitionResult.NotFound missing -> pending;
        };
    }

    /** The session policy an approval names: its SHA-256, null when the execution gets none. */
    private record Policy(String sha256) {
    }

    /**
     * The session policy the execution would get (a null hash when the deployment names no executor role or the plan
     * calls no AWS); empty when none can be made: then a person decides, and the review page says why.
     */
    private Optional<Policy> policy(Alert pending) {
        if (executor.isEmpty()) {
            return Optional.of(new Policy(null));
        }
        if (!(PlanJson.parse(pending.plan()) instanceof PlanParse.Valid valid)) {
            return Optional.empty();
        }
        try {
            return switch (executor.get().policyFor(valid.plan())) {
                case SessionPolicy.Scoped scoped -> Optional.of(new Policy(scoped.sha256()));
                case SessionPolicy.NothingToGrant nothing -> Optional.of(new Policy(null));
                case SessionPolicy.TooLarge tooLarge -> {
                    LOG.warn("not approved by the runbook: {}", tooLarge.reason());
                    yield Optional.empty();
                }
            };
        } catch (IllegalArgumentException e) {
            LOG.warn("not approved by the runbook: no session policy can be made for the plan ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Hands the approved alert on. The approval stands whatever happens here: a failure is logged and noted on the
     * alert with what to do, as the approval function does when its execute message cannot be published.
     */
    private Alert handedOn(Alert approved) {
        try {
            handOn.accept(approved);
        } catch (RuntimeException e) {
            String message = Json.mapper().createObjectNode().put("alert_id", approved.alertId())
                    .put("plan_hash", approved.planHash()).toString();
            LOG.error("the runbook's approval is stored, but its execution could not be started ({}); publish {} to "
                    + "the execute topic to start it", e.toString(), message);
            try {
                alerts.appendEvent(approved.alertId(), AuditEvent.of(clock.instant(),
                        AuditAction.EXECUTION_TRIGGER_FAILED, Actor.system("monitor"), "retry needed",
                        "the execute message was not published (" + e.getClass().getSimpleName() + "); publish "
                                + message + " to the execute topic to start the approved plan"));
            } catch (RuntimeException notRecorded) {
                LOG.error("the failed start could not be recorded on the alert either: {}", notRecorded.toString());
            }
        }
        return alerts.find(approved.alertId()).orElse(approved);
    }
}
