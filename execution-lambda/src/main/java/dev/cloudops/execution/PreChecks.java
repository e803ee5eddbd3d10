package dev.cloudops.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.precheck.ExecutionLimits;
import dev.cloudops.execution.precheck.ExecutionWindows;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.precheck.ResourceLocks;
import dev.cloudops.execution.runbook.RunbookLessons;
import dev.cloudops.execution.session.PlanSessions;
import dev.cloudops.execution.verify.TargetProbe;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.runbook.AutoApproval;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything checked on a claimed alert before anything changes, in order: the plan hash (asked for, approved,
 * and recomputed from the stored plan), the session policy the plan's credentials would have (it can be made, and
 * every approval named its hash), the approvals, the approval's age, the execution window, the issue
 * still present, a plan with something to run, the rate limits, the resource locks and the preflight of
 * every step. Takes the running slot and the locks (keyed by the alert id) for a plan that may run, and gives
 * them back when it may not. Changes nothing else: the caller records the verdict.
 */
final class PreChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the checks decided. */
    sealed interface Verdict permits Ready, Refused, Expired, Deferred, Recovered, HandOver {
    }

    /**
     * The plan may run: the preflight's observation of each executable step (by step id) is what the runner
     * starts from; the running slot and {@code locked} are held for the alert until the execution finishes.
     */
    record Ready(Plan plan, Map<String, Observation> observed, List<String> locked) implements Verdict {
    }

    /** The plan must not run (FAILED, nothing changed); {@code total} is its number of executable steps. */
    record Refused(String reason, int total) implements Verdict {
    }

    /** The approval is too old to run (EXPIRED). */
    record Expired(String reason) implements Verdict {
    }

    /** Not now: the window, a limit or a lock; try again at {@code at}. */
    record Deferred(Instant at, String reason) implements Verdict {
    }

    /** The target is healthy again before anything changed (RESOLVED). */
    record Recovered(String detail) implements Verdict {
    }

    /** Nothing to run: every step is for a person. */
    record HandOver(Plan plan, String failing) implements Verdict {
    }

    private final ApprovalRules approvalRules;
    private final Preflight preflight;
    private final ExecutionWindows windows;
    private final ExecutionLimits limits;
    private final ResourceLocks locks;
    private final PlanSessions sessions;
    private final StepExecutors executors;
    private final TargetProbe probe;
    private final ArtifactStore artifacts;
    private final Optional<RunbookLessons> runbooks;
    private final Duration approvalWindow;
    private final Duration retryAfter;
    private final Clock clock;

    PreChecks(PlanExecutor.Safety safety, PlanExecutor.Steps steps, ArtifactStore artifacts,
            Optional<RunbookLessons> runbooks, PlanExecutor.Timing timing, Clock clock) {
        this.runbooks = runbooks;
        this.approvalRules = safety.approvalRules();
        this.preflight = safety.preflight();
        this.windows = safety.windows();
        this.limits = safety.limits();
        this.locks = safety.locks();
        this.sessions = safety.sessions();
        this.executors = steps.executors();
        this.probe = steps.probe();
        this.artifacts = artifacts;
        this.approvalWindow = timing.approvalWindow();
        this.retryAfter = timing.retryAfter();
        this.clock = clock;
    }

    /**
     * Checks the alert this execution claimed against {@code planHash}, the hash {@code askedBy} asked to run
     * (e.g. "the execute message's"), writing each check to {@code log}. Holds the slot and the locks only
     * when the verdict is {@link Ready}, also when a check throws.
     */
    Verdict check(Alert alert, String planHash, String askedBy, ExecutionLog log) {
        if (!alert.planHash().equals(planHash)) {
            log.precheck("plan hash", false, "asked " + planHash + ", approved " + alert.planHash());
            return new Refused(askedBy + " plan_hash " + planHash + " is not the approved plan's " + alert.planHash()
                    + "; nothing was run", 0);
        }
        if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
            return new Refused("the approved plan cannot be read; nothing was run", 0);
        }
        if (!valid.planHash().equals(alert.planHash())) {
            // The stored plan is not the one approved: it was replaced after the approval.
            log.precheck("plan hash", false, "the stored plan hashes to " + valid.planHash() + ", approved "
                    + alert.planHash());
            return new Refused("the stored plan hashes to " + valid.planHash() + ", not to the approved "
                    + alert.planHash() + ": it changed after approval; nothing was run", 0);
        }
        log.precheck("plan hash", true, valid.planHash() + " (recomputed from the stored plan)");
        Plan plan = valid.plan();
        Optional<SessionPolicy> policy;
        try {
            policy = sessions.policy(plan);
        } catch (IllegalArgumentException e) {
            log.precheck("session policy", false, e.getMessage());
            return new Refused("no session policy can be scoped to the plan (" + e.getMessage() + "); nothing was run",
                    executable(plan));
        }
        if (policy.isPresent() && policy.get() instanceof SessionPolicy.TooLarge large) {
            log.precheck("session policy", false, large.reason());
            return new Refused(large.reason() + "; nothing was run", executable(plan));
        }
        log.precheck("session policy", true, describe(policy));
        List<String> approvalProblems = approvalRules.problems(alert, valid.planHash(), PlanSessions.hashOf(policy));
        if (!approvalProblems.isEmpty()) {
            log.precheck("approvals", false, String.join("; ", approvalProblems));
            return new Refused("the approvals do not allow this plan to run (" + String.join("; ", approvalProblems)
                    + "); nothing was run", executable(plan));
        }
        Optional<String> runbookRefusal = runbookApproval(alert);
        if (runbookRefusal.isPresent()) {
            log.precheck("approvals", false, runbookRefusal.get());
            return new Refused("the approvals do not allow this plan to run (" + runbookRefusal.get()
                    + "); nothing was run", executable(plan));
        }
        log.precheck("approvals", true, alert.approvals().size() + " of " + Math.max(alert.requiredApprovals(),
                ApprovalRules.required(alert.severity())) + " by " + alert.approvedBy() + ", for this plan");
        Instant approvedAt = alert.approvedAt() == null ? alert.timestamp() : alert.approvedAt();
        if (approvedAt.plus(approvalWindow).isBefore(clock.instant())) {
            log.precheck("approval age", false, "approved at " + approvedAt);
            return new Expired("approved at " + approvedAt + ", but approvals run within " + approvalWindow.toHours()
                    + " h; approve again to run it");
        }
        log.precheck("approval age", true, "approved at " + approvedAt);
        if (!windows.isOpen(alert.severity(), clock.instant())) {
            Instant opening = windows.nextOpening(alert.severity(), clock.instant());
            log.precheck("execution window", false, windows.describe(alert.severity()));
            return new Deferred(opening, "the execution window for " + alert.severity() + " alerts ("
                    + windows.describe(alert.severity()) + ") is closed");
        }
        log.precheck("execution window", true, windows.describe(alert.severity()));
        ProbeResult now = probe.probe(URI.create(alert.targetUrl()));
        if (now.healthy()) {
            log.precheck("issue still present", false, "the target is healthy: " + now.details());
            return new Recovered("the target was healthy again before anything was changed (" + now.details() + ")");
        }
        log.precheck("issue still present", true, now.classification() + ": " + now.details());
        if (executable(plan) == 0) {
            return new HandOver(plan, now.classification() + ": " + now.details());
        }
        return hold(alert, plan, log);
    }

    /**
     * Why a learned runbook's own approval of the plan does not hold now, the runbook read afresh (demoted, or its
     * auto-approval switched off, since it approved); empty when it holds or no runbook approved. Without the runbooks
     * to read, such an approval never holds.
     */
    private Optional<String> runbookApproval(Alert alert) {
        if (alert.approvals().stream().noneMatch(AutoApproval::isRunbooks)) {
            return Optional.empty();
        }
        return runbooks.isEmpty()
                ? Optional.of("a runbook approved the plan by itself, but this executor cannot read the runbooks")
                : runbooks.get().autoApprovalRefusal(alert);
    }

    /** The slot, the locks and the preflight; what was taken is given back unless the plan may run. */
    private Verdict hold(Alert alert, Plan plan, ExecutionLog log) {
        Optional<String> limit = limits.acquire(alert.alertId(), clock.instant());
        if (limit.isPresent()) {
            log.precheck("rate limits", false, limit.get());
            return new Deferred(clock.instant().plus(retryAfter), limit.get());
        }
        List<String> locked = List.of();
        boolean ready = false;
        try {
            log.precheck("rate limits", true, "a running slot and this hour's quota are taken");
            List<String> resources = resources(plan);
            Optional<String> held = locks.lockAll(resources, alert.alertId(), clock.instant());
            if (held.isPresent()) {
                log.precheck("resource locks", false, held.get());
                return new Deferred(clock.instant().plus(retryAfter), held.get());
            }
            locked = resources;
            log.precheck("resource locks", true, resources.isEmpty() ? "nothing to lock"
                    : String.join(", ", resources));
            Preflight.Result checked = preflight(alert, plan, log);
            if (checked.refusal().isPresent()) {
                return new Refused(checked.refusal().get() + "; nothing was changed", executable(plan));
            }
            ready = true;
            return new Ready(plan, checked.observed(), locked);
        } finally {
            if (!ready) {
                release(alert.alertId(), locked);
            }
        }
    }

    /** The read-only preflight of every step again (a later invocation needs the observed state to start from). */
    Preflight.Result preflight(Alert alert, Plan plan, ExecutionLog log) {
        Optional<String> policy = sessions.policy(plan).filter(SessionPolicy.Scoped.class::isInstance)
                .map(p -> ((SessionPolicy.Scoped) p).json());
        return preflight.run(plan, policy, evidence(alert), log);
    }

    /**
     * Until closed, the executors sign with a session scoped to the alert's approved plan (or the function's own
     * credentials, where no executor role is configured).
     */
    PlanSessions.Session open(Alert alert) {
        return sessions.open(alert);
    }

    private static String describe(Optional<SessionPolicy> policy) {
        return switch (policy.orElse(null)) {
            case null -> "none: no executor role is configured, so the steps run with the function's own credentials";
            case SessionPolicy.Scoped scoped -> scoped.sha256() + ": " + scoped.grants().size() + " grant(s), for at "
                    + "most " + scoped.durationSeconds() / 60 + " min per session";
            case SessionPolicy.NothingToGrant nothing -> "none needed: " + nothing.reason();
            case SessionPolicy.TooLarge large -> large.reason();
        };
    }

    /**
     * Takes the plan's locks again for the alert that holds them, so they do not expire while its execution
     * goes on in a later invocation; empty when they are held, else which one another execution took.
     */
    Optional<String> relock(Alert alert, Plan plan) {
        return locks.lockAll(resources(plan), alert.alertId(), clock.instant());
    }

    /** Gives back the running slot and the locks the alert's execution holds. */
    void release(String alertId, List<String> locked) {
        locks.releaseAll(locked, alertId);
        limits.release(alertId);
    }

    /** The resources the plan's executable steps change, each once. */
    List<String> resources(Plan plan) {
        return plan.steps().stream().filter(s -> s.action().executable())
                .flatMap(s -> executors.forAction(s.action()).resources(s.action()).stream()).distinct().toList();
    }

    /** The evidence pack's items (what the preflight compares with), or null when it cannot be read. */
    JsonNode evidence(Alert alert) {
        if (alert.evidenceKey() == null) {
            return null;
        }
        try {
            return JSON.readTree(artifacts.get(alert.evidenceKey()).content()).path("items");
        } catch (IOException | ArtifactNotFoundException e) {
            return null;
        }
    }

    static int executable(Plan plan) {
        return (int) plan.steps().stream().filter(s -> s.action().executable()).count();
    }
}
