package dev.cloudops.approval;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.approval.auth.Access;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CrossSiteRequests;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.auth.Viewer;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.logging.LogContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /alerts/{id}/decision: the only route that changes anything. It checks that a browser sent it from the
 * portal's own pages ({@link CrossSiteRequests}), the review token or sign-in and the CSRF token (recording every
 * refusal), reads the decision, makes one conditional write through the
 * {@link DecisionRecorder}, and says what came of it.
 */
final class DecisionRoute {

    // The portal's log category, unchanged by the portal's split, so that log filters keep matching.
    private static final Logger LOG = LoggerFactory.getLogger(ReviewPortal.class);
    private static final int MAX_COMMENT = 2_000;
    private static final int MAX_NAME = 100;

    private final DecisionRecorder recorder;
    private final Authenticator auth;
    private final CsrfTokens csrf;
    private final CrossSiteRequests crossSite;
    private final PortalResponses responses;

    DecisionRoute(DecisionRecorder recorder, Authenticator auth, CsrfTokens csrf, CrossSiteRequests crossSite,
            PortalResponses responses) {
        this.recorder = recorder;
        this.auth = auth;
        this.csrf = csrf;
        this.crossSite = crossSite;
        this.responses = responses;
    }

    HttpResponse decide(HttpRequest request, String id) {
        Optional<String> crossSiteProblem = crossSite.problem(request);
        if (crossSiteProblem.isPresent()) {
            return refuseDecision(request, id, 403, crossSiteProblem.get());
        }
        Map<String, String> form = DecisionBody.read(request);
        Optional<String> token = Optional.ofNullable(form.getOrDefault("t", request.query().get("t")));
        Access access = auth.forAlert(request, id, token);
        if (access instanceof Access.Denied denied) {
            return refuseDecision(request, id, denied.status(), denied.reason());
        }
        Viewer viewer = ((Access.Granted) access).viewer();
        String csrfProblem = csrf.problem(form.get("csrf"), id, viewer);
        if (csrfProblem != null) {
            return refuseDecision(request, id, 403, csrfProblem);
        }
        String verdictText = form.getOrDefault("decision", "");
        DecisionRecorder.Verdict verdict = switch (verdictText) {
            case "approve" -> DecisionRecorder.Verdict.APPROVE;
            case "reject" -> DecisionRecorder.Verdict.REJECT;
            default -> throw new MalformedRequestException("decision must be 'approve' or 'reject'");
        };
        boolean approve = verdict == DecisionRecorder.Verdict.APPROVE;
        String planShown = approve ? DecisionBody.planShown(form.get("plan_hash")) : null;
        String policyShown = approve ? DecisionBody.policyShown(form.get("policy_hash")) : null;
        String comment = DecisionBody.text(form.get("comment"), "comment", MAX_COMMENT, true);
        String name = null;
        if (!viewer.isSignedIn()) {
            name = DecisionBody.text(form.get("approver"), "approver", MAX_NAME, false);
            if (name == null || name.isBlank()) {
                throw new MalformedRequestException("approver: type your name; it is recorded with the decision");
            }
            name = name.strip();
        }
        Identity who = viewer.identity(name, request.sourceIp(), request.userAgent());
        Decision decision = recorder.decide(id, verdict, who,
                comment == null || comment.isBlank() ? null : comment.strip(), planShown, policyShown);
        try (var ignored = LogContext.alert(id)) {
            LOG.info("decision request by {} ({}): {}", who.name(), who.verified() ? "verified" : "unverified",
                    decision.getClass().getSimpleName());
        }
        return outcome(request, id, viewer, decision);
    }

    private HttpResponse outcome(HttpRequest request, String id, Viewer viewer, Decision decision) {
        String back = "../" + id + viewer.reviewToken().map(t -> "?t=" + PortalResponses.encode(t)).orElse("");
        return switch (decision) {
            case Decision.Approved a -> responses.answer(request, 200, "approved", "Approved", a.alert().plan() == null
                    ? "Approved. There is nothing to execute." : a.retryNeeded()
                    ? "Approved, but the execution of the plan could not be started. The approval stands; the alert "
                            + "records that the execution is still to be started, and how."
                    : "Approved. Execution of the plan has been started.", true, a.alert(), back);
            case Decision.PartiallyApproved p -> responses.answer(request, 200, "partially_approved",
                    "Approval recorded", "Your approval is recorded. " + (p.stillNeeded() == 1
                            ? "1 more approval from a different verified person is"
                            : p.stillNeeded() + " more approvals from different verified people are")
                            + " needed before anything runs.", true, p.alert(), back);
            case Decision.Rejected r -> responses.answer(request, 200, "rejected", "Rejected",
                    "Rejected. Nothing will be executed.", true, r.alert(), back);
            case Decision.AlreadyDecided d -> responses.answer(request, 409, "already_decided", "Already decided",
                    "This alert was already decided: " + whoDecided(d.alert()) + ".", false, d.alert(), back);
            case Decision.NotReady n -> responses.answer(request, 409, "not_ready", "Not ready",
                    "The analysis has not finished yet; try again when the notification with the plan arrives.",
                    false, n.alert(), back);
            case Decision.Expired x -> responses.answer(request, 410, "expired", "Expired",
                    "This alert waited longer than the decision window and can no longer be approved.", false,
                    x.alert(), back);
            case Decision.NotFound n -> responses.answer(request, 404, "not_found", "Not found",
                    "There is no alert " + id + ".", false, null, null);
            case Decision.Forbidden f -> responses.answer(request, 403, "forbidden", "Not allowed", f.reason(), false,
                    null, back);
            case Decision.PlanChanged c -> responses.answer(request, 409, "plan_changed", "The plan changed",
                    "The plan on your page is not this alert's plan any more; nothing was recorded. Reload the page, "
                            + "review the plan it shows now, and decide again.", false, c.alert(), back);
            case Decision.PolicyChanged c -> responses.answer(request, 409, "policy_changed", "The grants changed",
                    "The grants shown on your page are not the plan's session policy now; nothing was recorded. Reload "
                            + "the page, review what approving grants now, and decide again.", false, c.alert(), back);
            case Decision.Unapprovable u -> responses.answer(request, 409, "not_approvable", "Cannot be approved",
                    "This plan cannot be approved: " + u.reason() + ". Nothing was recorded; it can still be rejected.",
                    false, u.alert(), back);
        };
    }

    private static String whoDecided(Alert a) {
        return switch (a.state()) {
            case REJECTED -> "rejected by " + lastActor(a, AuditAction.REJECTED) + " (" + a.rejectionReason() + ")";
            case APPROVED, EXECUTING, COMPLETED, FAILED, ROLLED_BACK -> "approved by " + a.approvedBy()
                    + (a.approvedAt() == null ? "" : " at " + a.approvedAt()) + ", now " + a.state();
            case EXPIRED -> "it expired";
            case RESOLVED -> "it resolved (" + (a.resolution() == null ? "closed" : a.resolution()) + ")";
            default -> "its state is " + a.state();
        };
    }

    private static String lastActor(Alert a, AuditAction action) {
        return a.audit().stream().filter(e -> e.action() == action).map(AuditEvent::actor).reduce((x, y) -> y)
                .orElse("someone");
    }

    /** A refused decision attempt: recorded with address and agent (see {@link DecisionRecorder#refused}), then answered. */
    private HttpResponse refuseDecision(HttpRequest request, String id, int status, String reason) {
        Actor actor = new Actor("unauthenticated request", false, request.sourceIp(), request.userAgent());
        recorder.refused(id, actor, "refused " + status, reason);
        try (var ignored = LogContext.alert(id)) {
            LOG.warn("decision refused ({}) from {}: {}", status, request.sourceIp(), reason);
        }
        return responses.refuse(request, status, status == 401 ? "Not signed in" : "Not allowed", reason);
    }
}
