package dev.cloudops.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Severity;
import dev.cloudops.approval.auth.Access;
import dev.cloudops.approval.auth.AuthMode;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CrossSiteRequests;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.auth.Viewer;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.json.Json;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learned runbooks on the portal (issue 26): GET /runbooks lists candidates and active runbooks for signed-in
 * people, as the queue does, and only reads; POST /runbooks/{id}/promote makes a candidate active; POST
 * /runbooks/{id}/auto-approval sets from how many verified successes a runbook approves its plan for LOW alerts by
 * itself (0, the default: never; refused for a plan with a step that cannot be undone).
 *
 * <p>Both are decisions like an approval (promoting is described here; setting the auto-approval is checked the same
 * way and audited as {@code RUNBOOK_AUTO_APPROVAL_SET} / {@code RUNBOOK_AUTO_APPROVAL_REFUSED}). Promoting is a
 * decision like an approval, with the same identity, RBAC and audit: it must come from the portal's
 * own pages ({@link CrossSiteRequests}) with a CSRF token of the page, from a verified, signed-in person (a link
 * holder proves only possession of one alert's link, so in link mode promotion is refused), in a group allowed to
 * approve CRITICAL alerts under the {@link dev.cloudops.alert.ApprovalRules}. An active runbook's plan is proposed
 * for every matching future alert, whatever its severity, so promoting one weighs at least as much as approving the
 * most severe single alert: it takes the strictest role set there is. The write is conditional on the version the
 * page showed, so a runbook that changed since (another success counted, or promoted by someone else) is refused,
 * not promoted on a record the person did not see. Every promotion and every refused attempt is an audit event in
 * the decisions' audit trail, under the runbook's id.
 */
final class RunbookRoutes {

    // The portal's log category, as the decision route's, so that log filters keep matching.
    private static final Logger LOG = LoggerFactory.getLogger(ReviewPortal.class);
    /** How many runbooks of each status the page lists. */
    private static final int LISTED = 200;
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");
    private static final Pattern AFTER = Pattern.compile("[0-9]{1,4}");

    private final Optional<RunbookStore> store;
    private final ApprovalPolicy policy;
    private final Authenticator auth;
    private final CsrfTokens csrf;
    private final CrossSiteRequests crossSite;
    private final AuditTrail audit;
    private final PortalResponses responses;
    private final Clock clock;

    RunbookRoutes(Optional<RunbookStore> store, ApprovalPolicy policy, Authenticator auth, CsrfTokens csrf,
            CrossSiteRequests crossSite, AuditTrail audit, PortalResponses responses, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.auth = auth;
        this.csrf = csrf;
        this.crossSite = crossSite;
        this.audit = audit;
        this.responses = responses;
        this.clock = clock;
    }

    /**
     * GET /runbooks: candidates (each with its promote form) and active runbooks, newest learned first, each with the
     * form setting its auto-approval.
     */
    HttpResponse list(HttpRequest request) {
        if (store.isEmpty()) {
            return notConfigured(request);
        }
        Access access = auth.forQueue(request);
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Sign-in needed", denied.reason());
        }
        Viewer viewer = ((Access.Granted) access).viewer();
        List<Pages.RunbookRow> candidates = store.get().list(Runbook.Status.CANDIDATE, LISTED).stream()
                .map(r -> row(r, Optional.of(csrf.issue(r.id(), viewer)))).toList();
        List<Pages.RunbookRow> active = store.get().list(Runbook.Status.ACTIVE, LISTED).stream()
                .map(r -> row(r, Optional.of(csrf.issue(r.id(), viewer)))).toList();
        if (request.wantsJson()) {
            ObjectNode out = Json.mapper().createObjectNode();
            out.putArray("candidates");
            out.putArray("active");
            candidates.forEach(r -> out.withArray("candidates").add(summary(r)));
            active.forEach(r -> out.withArray("active").add(summary(r)));
            return responses.json(200, out);
        }
        return responses.pages().runbooks(viewer.signedIn().orElseThrow().name(), candidates, active);
    }

    private static Pages.RunbookRow row(Runbook r, Optional<String> csrf) {
        return new Pages.RunbookRow(r, "alerts/" + r.taughtBy(), csrf);
    }

    private static ObjectNode summary(Pages.RunbookRow row) {
        Runbook r = row.runbook();
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", r.id()).put("issue_type", r.template().issueType().name()).put("status", r.status().name())
                .put("taught_by", r.taughtBy()).put("learned_at", r.learnedAt().toString())
                .put("verified_successes", r.verifiedSuccesses()).put("uses", r.uses())
                .put("version", r.version()).put("plan_template", r.planTemplate());
        if (r.lastFailureAt() != null) {
            n.put("last_failure_at", r.lastFailureAt().toString()).put("last_failure", r.lastFailure());
        }
        n.put("auto_approve_after", r.autoApproveAfter());
        if (r.autoApprovalBy() != null) {
            n.put("auto_approval_by", r.autoApprovalBy());
        }
        r.irreversibleStep().ifPresent(step -> n.put("irreversible_step", step));
        row.csrf().ifPresent(t -> n.put("csrf", t));
        return n;
    }

    /** What a person decides about a runbook on the portal, with the audit actions of a decision and a refusal. */
    enum Change {
        PROMOTE("promote", AuditAction.RUNBOOK_PROMOTED, AuditAction.RUNBOOK_PROMOTION_REFUSED, "Not promoted"),
        AUTO_APPROVAL("set the auto-approval of", AuditAction.RUNBOOK_AUTO_APPROVAL_SET,
                AuditAction.RUNBOOK_AUTO_APPROVAL_REFUSED, "Not changed");

        private final String verb;
        private final AuditAction done;
        private final AuditAction refused;
        private final String conflictHeading;

        Change(String verb, AuditAction done, AuditAction refused, String conflictHeading) {
            this.verb = verb;
            this.done = done;
            this.refused = refused;
            this.conflictHeading = conflictHeading;
        }
    }

    /** POST /runbooks/{id}/promote: the form's {@code csrf} and {@code version} (the version the page showed). */
    HttpResponse promote(HttpRequest request, String id) {
        return decide(request, id, Change.PROMOTE);
    }

    /**
     * POST /runbooks/{id}/auto-approval: the form's {@code csrf}, {@code version} and {@code after}, from how many
     * verified successes the runbook approves its plan for LOW alerts by itself (0: never). Refused for a runbook whose
     * plan has a step that cannot be undone.
     */
    HttpResponse autoApproval(HttpRequest request, String id) {
        return decide(request, id, Change.AUTO_APPROVAL);
    }

    private HttpResponse decide(HttpRequest request, String id, Change change) {
        if (store.isEmpty()) {
            return notConfigured(request);
        }
        Actor anonymous = new Actor("unauthenticated request", false, request.sourceIp(), request.userAgent());
        Optional<String> crossSiteProblem = crossSite.problem(request);
        if (crossSiteProblem.isPresent()) {
            return refuse(request, id, change, anonymous, null, 403, crossSiteProblem.get());
        }
        if (auth.mode() == AuthMode.LINK) {
            return refuse(request, id, change, anonymous, null, 403, "deciding on a runbook needs a verified, "
                    + "signed-in identity; this deployment uses review links, which prove only that one alert's link "
                    + "is held");
        }
        Map<String, String> form = DecisionBody.read(request);
        Access access = auth.forQueue(request);
        if (access instanceof Access.Denied denied) {
            return refuse(request, id, change, anonymous, null, denied.status(), denied.reason());
        }
        Viewer viewer = ((Access.Granted) access).viewer();
        Identity who = viewer.identity(null, request.sourceIp(), request.userAgent());
        Actor person = new Actor(who.name(), who.verified(), who.sourceIp(), who.userAgent());
        String role = policy.roleOf(who, Severity.CRITICAL);
        String csrfProblem = csrf.problem(form.get("csrf"), id, viewer);
        if (csrfProblem != null) {
            return refuse(request, id, change, person, role, 403, csrfProblem);
        }
        long versionSeen = version(form.get("version"));
        int after = change == Change.AUTO_APPROVAL ? after(form.get("after")) : 0;
        Optional<String> refusal = policy.refusal(who, Severity.CRITICAL);
        if (refusal.isPresent()) {
            return refuse(request, id, change, person, role, 403, "deciding on a runbook takes the role to approve "
                    + "critical alerts, since its plan is then proposed (or approved) for every matching alert: "
                    + refusal.get());
        }
        Optional<Runbook> found = store.get().find(id);
        if (found.isEmpty()) {
            return refuse(request, id, change, person, role, 404, "there is no runbook " + id);
        }
        Runbook current = found.get();
        Optional<String> conflict = switch (change) {
            case PROMOTE -> current.status() == Runbook.Status.ACTIVE
                    ? Optional.of("runbook " + id + " is already active; nothing changed") : Optional.empty();
            case AUTO_APPROVAL -> after > 0 && current.irreversibleStep().isPresent()
                    ? Optional.of("runbook " + id + " never approves by itself: step " + current.irreversibleStep().get()
                            + " of its plan cannot be undone; nothing changed")
                    : after == current.autoApproveAfter()
                            ? Optional.of("runbook " + id + "'s auto-approval is " + (after == 0 ? "off" : "from "
                                    + after + " verified successes") + " already; nothing changed")
                            : Optional.empty();
        };
        if (conflict.isPresent()) {
            return refuse(request, id, change, person, role, 409, conflict.get());
        }
        if (current.version() != versionSeen) {
            return stale(request, id, change, person, role);
        }
        Runbook next = change == Change.PROMOTE ? current.promoted(who.name(), clock.instant())
                : current.autoApproving(after, who.name());
        Optional<Runbook> stored = store.get().replace(next);
        if (stored.isEmpty()) {
            return stale(request, id, change, person, role);
        }
        return change == Change.PROMOTE ? promoted(request, current, stored.get(), versionSeen, who, person, role)
                : autoApprovalSet(request, current, stored.get(), versionSeen, who, person, role);
    }

    private HttpResponse promoted(HttpRequest request, Runbook current, Runbook promoted, long versionSeen,
            Identity who, Actor person, String role) {
        String id = current.id();
        audit.record(id, AuditEvent.of(clock.instant(), AuditAction.RUNBOOK_PROMOTED, person, "promoted",
                "runbook " + id + " (" + current.template().issueType() + ", taught by " + current.taughtBy()
                        + ") promoted to active at version " + versionSeen + " by " + who.name() + " as " + role));
        LOG.info("runbook {} promoted by {} ({})", id, who.name(), role);
        String message = "Runbook " + id + " is active: its plan is proposed for matching alerts from now on.";
        if (request.wantsJson()) {
            return responses.json(200, Json.mapper().createObjectNode().put("outcome", "promoted")
                    .put("message", message).put("runbook_id", id).put("status", promoted.status().name())
                    .put("version", promoted.version()).put("promoted_by", who.name()));
        }
        return responses.pages().outcome(200, "Runbook promoted", message, true, null, null);
    }

    private HttpResponse autoApprovalSet(HttpRequest request, Runbook current, Runbook set, long versionSeen,
            Identity who, Actor person, String role) {
        String id = current.id();
        String what = set.autoApproveAfter() == 0 ? "off"
                : "low alerts from " + set.autoApproveAfter() + " verified successes";
        audit.record(id, AuditEvent.of(clock.instant(), AuditAction.RUNBOOK_AUTO_APPROVAL_SET, person, what,
                "runbook " + id + " (" + current.template().issueType() + ") auto-approval set from "
                        + current.autoApproveAfter() + " to " + set.autoApproveAfter() + " at version " + versionSeen
                        + " by " + who.name() + " as " + role));
        LOG.info("runbook {} auto-approval set to {} by {} ({})", id, set.autoApproveAfter(), who.name(), role);
        String message = set.autoApproveAfter() == 0
                ? "Runbook " + id + " no longer approves anything by itself; people approve its plans."
                : "Runbook " + id + " approves its plan for low alerts by itself once it has " + set.autoApproveAfter()
                        + " verified successes (it has " + set.verifiedSuccesses() + ")"
                        + (set.status() == Runbook.Status.ACTIVE ? "" : " and is active") + ".";
        if (request.wantsJson()) {
            return responses.json(200, Json.mapper().createObjectNode().put("outcome", "auto_approval_set")
                    .put("message", message).put("runbook_id", id).put("auto_approve_after", set.autoApproveAfter())
                    .put("version", set.version()).put("auto_approval_by", who.name()));
        }
        return responses.pages().outcome(200, "Auto-approval set", message, true, null, null);
    }

    private HttpResponse stale(HttpRequest request, String id, Change change, Actor person, String role) {
        return refuse(request, id, change, person, role, 409, "runbook " + id + " changed since your page showed it; "
                + "nothing changed. Reload the runbooks page, review it as it is now, and decide again");
    }

    private static int after(String text) {
        if (text == null || !AFTER.matcher(text).matches() || Integer.parseInt(text) > Pages.AUTO_APPROVAL_MAX) {
            throw new MalformedRequestException("after: from how many verified successes the runbook approves by "
                    + "itself, a whole number from 0 (never) to " + Pages.AUTO_APPROVAL_MAX);
        }
        return Integer.parseInt(text);
    }

    private static long version(String text) {
        if (text == null || !VERSION.matcher(text).matches()) {
            throw new MalformedRequestException("version: the runbook's version as the page showed it, a whole number");
        }
        return Long.parseLong(text);
    }

    /**
     * A refused decision on a runbook: an audit event naming the runbook, who (or "unauthenticated request" before
     * anyone is known), their role where known, and why; then the answer.
     */
    private HttpResponse refuse(HttpRequest request, String id, Change change, Actor actor, String role, int status,
            String reason) {
        audit.record(id, AuditEvent.of(clock.instant(), change.refused, actor, "refused " + status,
                (role == null ? "" : "as " + role + ": ") + reason));
        LOG.warn("refused ({}) to {} runbook {} for {} from {}: {}", status, change.verb, id, actor.name(),
                request.sourceIp(), reason);
        String heading = switch (status) {
            case 401 -> "Not signed in";
            case 404 -> "Not found";
            case 409 -> change.conflictHeading;
            default -> "Not allowed";
        };
        return responses.refuse(request, status, heading, reason);
    }

    private HttpResponse notConfigured(HttpRequest request) {
        return responses.refuse(request, 404, "Not found", "no runbook store configured");
    }
}
