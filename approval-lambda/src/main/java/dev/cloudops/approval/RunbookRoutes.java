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
 * people, as the queue does, and only reads; POST /runbooks/{id}/promote makes a candidate active.
 *
 * <p>Promoting is a decision like an approval, with the same identity, RBAC and audit: it must come from the portal's
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

    /** GET /runbooks: candidates (each with its promote form) and active runbooks, newest learned first. */
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
                .map(r -> row(r, Optional.empty())).toList();
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

    private static Pages.RunbookRow row(Runbook r, Optional<String> promoteCsrf) {
        return new Pages.RunbookRow(r, "alerts/" + r.taughtBy(), promoteCsrf);
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
        row.promoteCsrf().ifPresent(t -> n.put("csrf", t));
        return n;
    }

    /** POST /runbooks/{id}/promote: the form's {@code csrf} and {@code version} (the version the page showed). */
    HttpResponse promote(HttpRequest request, String id) {
        if (store.isEmpty()) {
            return notConfigured(request);
        }
        Actor anonymous = new Actor("unauthenticated request", false, request.sourceIp(), request.userAgent());
        Optional<String> crossSiteProblem = crossSite.problem(request);
        if (crossSiteProblem.isPresent()) {
            return refuse(request, id, anonymous, null, 403, crossSiteProblem.get());
        }
        if (auth.mode() == AuthMode.LINK) {
            return refuse(request, id, anonymous, null, 403, "promoting a runbook needs a verified, signed-in "
                    + "identity; this deployment uses review links, which prove only that one alert's link is held");
        }
        Map<String, String> form = DecisionBody.read(request);
        Access access = auth.forQueue(request);
        if (access instanceof Access.Denied denied) {
            return refuse(request, id, anonymous, null, denied.status(), denied.reason());
        }
        Viewer viewer = ((Access.Granted) access).viewer();
        Identity who = viewer.identity(null, request.sourceIp(), request.userAgent());
        Actor person = new Actor(who.name(), who.verified(), who.sourceIp(), who.userAgent());
        String role = policy.roleOf(who, Severity.CRITICAL);
        String csrfProblem = csrf.problem(form.get("csrf"), id, viewer);
        if (csrfProblem != null) {
            return refuse(request, id, person, role, 403, csrfProblem);
        }
        long versionSeen = version(form.get("version"));
        Optional<String> refusal = policy.refusal(who, Severity.CRITICAL);
        if (refusal.isPresent()) {
            return refuse(request, id, person, role, 403, "promoting a runbook takes the role to approve critical "
                    + "alerts, since its plan is then proposed for every matching alert: " + refusal.get());
        }
        Optional<Runbook> found = store.get().find(id);
        if (found.isEmpty()) {
            return refuse(request, id, person, role, 404, "there is no runbook " + id);
        }
        Runbook current = found.get();
        if (current.status() == Runbook.Status.ACTIVE) {
            return refuse(request, id, person, role, 409, "runbook " + id + " is already active; nothing changed");
        }
        if (current.version() != versionSeen) {
            return stale(request, id, person, role);
        }
        Optional<Runbook> promoted = store.get().replace(current.promoted(who.name(), clock.instant()));
        if (promoted.isEmpty()) {
            return stale(request, id, person, role);
        }
        audit.record(id, AuditEvent.of(clock.instant(), AuditAction.RUNBOOK_PROMOTED, person, "promoted",
                "runbook " + id + " (" + current.template().issueType() + ", taught by " + current.taughtBy()
                        + ") promoted to active at version " + versionSeen + " by " + who.name() + " as " + role));
        LOG.info("runbook {} promoted by {} ({})", id, who.name(), role);
        String message = "Runbook " + id + " is active: its plan is proposed for matching alerts from now on.";
        if (request.wantsJson()) {
            return responses.json(200, Json.mapper().createObjectNode().put("outcome", "promoted")
                    .put("message", message).put("runbook_id", id).put("status", promoted.get().status().name())
                    .put("version", promoted.get().version()).put("promoted_by", who.name()));
        }
        return responses.pages().outcome(200, "Runbook promoted", message, true, null, null);
    }

    private HttpResponse stale(HttpRequest request, String id, Actor person, String role) {
        return refuse(request, id, person, role, 409, "runbook " + id + " changed since your page showed it; nothing "
                + "changed. Reload the runbooks page, review it as it is now, and promote it again");
    }

    private static long version(String text) {
        if (text == null || !VERSION.matcher(text).matches()) {
            throw new MalformedRequestException("version: the runbook's version as the page showed it, a whole number");
        }
        return Long.parseLong(text);
    }

    /**
     * A refused promotion: an audit event naming the runbook, who (or "unauthenticated request" before anyone is
     * known), their role where known, and why; then the answer.
     */
    private HttpResponse refuse(HttpRequest request, String id, Actor actor, String role, int status, String reason) {
        audit.record(id, AuditEvent.of(clock.instant(), AuditAction.RUNBOOK_PROMOTION_REFUSED, actor,
                "refused " + status, (role == null ? "" : "as " + role + ": ") + reason));
        LOG.warn("runbook promotion refused ({}) for {} from {}: {}", status, actor.name(), request.sourceIp(), reason);
        String heading = switch (status) {
            case 401 -> "Not signed in";
            case 404 -> "Not found";
            case 409 -> "Not promoted";
            default -> "Not allowed";
        };
        return responses.refuse(request, status, heading, reason);
    }

    private HttpResponse notConfigured(HttpRequest request) {
        return responses.refuse(request, 404, "Not found", "no runbook store configured");
    }
}
