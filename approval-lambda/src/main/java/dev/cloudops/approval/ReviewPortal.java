package dev.cloudops.approval;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.InvalidCursorException;
import dev.cloudops.alert.Page;
import dev.cloudops.approval.auth.Access;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.auth.Viewer;
import dev.cloudops.approval.http.Forms;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.json.Json;
import dev.cloudops.text.PlainText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cloudops.logging.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The review portal's routes (DESIGN.md section 7), independent of what carries the HTTP: the review
 * page and the report link (GET, never a state change), the decision (POST: review token or sign-in,
 * CSRF token, then one conditional write), and the queue for signed-in people. Every request ends in a
 * defined page or JSON answer with a matching status; nothing a request contains leads to a 5xx.
 */
public final class ReviewPortal {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewPortal.class);
    private static final Pattern QUEUE = Pattern.compile("/alerts/?");
    private static final Pattern ALERT = Pattern.compile("/alerts/([^/]+)");
    private static final Pattern DECISION = Pattern.compile("/alerts/([^/]+)/decision");
    private static final Pattern REPORT = Pattern.compile("/alerts/([^/]+)/report");
    private static final Pattern EXECUTION_LOG = Pattern.compile("/alerts/([^/]+)/log");
    private static final Pattern ALERT_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final int QUEUE_PAGE = 50;
    private static final int RECENT = 20;
    private static final Duration REPORT_LINK = Duration.ofMinutes(5);

    private final AlertRepository alerts;
    private final ArtifactStore artifacts;
    private final DecisionRecorder recorder;
    private final Authenticator auth;
    private final CsrfTokens csrf;
    private final Pages pages;
    private final PortalResponses responses;
    private final DecisionRoute decision;
    private final Clock clock;

    public ReviewPortal(AlertRepository alerts, ArtifactStore artifacts, DecisionRecorder recorder, Authenticator auth,
            CsrfTokens csrf, Pages pages, Clock clock) {
        this.alerts = alerts;
        this.artifacts = artifacts;
        this.recorder = recorder;
        this.auth = auth;
        this.csrf = csrf;
        this.pages = pages;
        this.responses = new PortalResponses(pages);
        this.decision = new DecisionRoute(recorder, auth, csrf, responses);
        this.clock = clock;
    }

    /** Answers one request. */
    public HttpResponse handle(HttpRequest request) {
        try {
            return route(request);
        } catch (MalformedRequestException e) {
            return responses.refuse(request, 400, "Bad request", e.getMessage());
        }
    }

    private HttpResponse route(HttpRequest request) {
        String path = request.path();
        Matcher m;
        if (QUEUE.matcher(path).matches()) {
            return only(request, "GET", () -> queue(request));
        }
        if ((m = ALERT.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "GET", () -> review(request, id));
        }
        if ((m = DECISION.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "POST", () -> decision.decide(request, id));
        }
        if ((m = REPORT.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "GET", () -> report(request, id));
        }
        if ((m = EXECUTION_LOG.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "GET", () -> executionLog(request, id));
        }
        return responses.refuse(request, 404, "Not found", "there is no page at " + path);
    }

    private HttpResponse only(HttpRequest request, String method, java.util.function.Supplier<HttpResponse> action) {
        if (!request.method().equals(method)) {
            return responses.refuse(request, 405, "Method not allowed", request.method() + " is not allowed here; use " + method)
                    .with("Allow", method);
        }
        return action.get();
    }

    private static String alertId(String raw) {
        if (!ALERT_ID.matcher(raw).matches()) {
            throw new MalformedRequestException("an alert id is 1-64 letters, digits, '-' or '_'");
        }
        return raw;
    }

    // GET /alerts/{id}: renders, never writes.
    private HttpResponse review(HttpRequest request, String id) {
        Optional<String> token = Optional.ofNullable(request.query().get("t"));
        Access access = auth.forAlert(request, id, token);
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Not allowed", denied.reason());
        }
        Viewer viewer = ((Access.Granted) access).viewer();
        Optional<Alert> found = alerts.find(id);
        if (found.isEmpty()) {
            return responses.refuse(request, 404, "Not found", "there is no alert " + id);
        }
        Alert alert = found.get();
        List<String> notes = new ArrayList<>();
        Optional<Pages.Form> form = form(alert, viewer, notes);
        Optional<String> reportHref = alert.s3AnalysisKey() == null ? Optional.empty()
                : Optional.of(id + "/report" + viewer.reviewToken().map(t -> "?t=" + PortalResponses.encode(t)).orElse(""));
        // Shown only when there is no analysis to show: none yet, or a report that cannot be read and no summary.
        String analysisNote = alert.s3AnalysisKey() == null ? "The analysis has not finished yet."
                : "The full report could not be read just now.";
        return pages.review(new Pages.ReviewModel(alert, analysis(alert), analysisNote, evidence(alert), notes, form,
                reportHref));
    }

    /** The decision form, or the notes that say why there is none. */
    private Optional<Pages.Form> form(Alert alert, Viewer viewer, List<String> notes) {
        if (alert.state() == AlertState.DETECTED) {
            notes.add("The analysis has not finished yet; a decision is possible once it has.");
            return Optional.empty();
        }
        if (alert.state() != AlertState.PENDING_APPROVAL) {
            return Optional.empty();
        }
        Instant deadline = recorder.decisionDeadline(alert.timestamp());
        if (!clock.instant().isBefore(deadline)) {
            notes.add("The decision window closed at " + Pages.time(deadline)
                    + "; this alert can no longer be approved.");
            return Optional.empty();
        }
        ApprovalPolicy policy = recorder.policy();
        Identity who = viewer.identity("link holder", null, null);
        Optional<String> refusal = policy.refusal(who, alert.severity());
        if (refusal.isPresent()) {
            notes.add("You cannot decide this alert here: " + refusal.get() + ".");
            return Optional.empty();
        }
        int stillNeeded = alert.requiredApprovals() - alert.approvals().size();
        if (!alert.approvals().isEmpty()) {
            notes.add("Approved by " + alert.approvals().size() + " of " + alert.requiredApprovals() + "; needs "
                    + stillNeeded + " more from a different verified person in "
                    + String.join(", ", new TreeSet<>(policy.roles().getOrDefault(alert.severity(), Set.of()))) + ".");
            if (viewer.isSignedIn() && alert.approvals().stream().anyMatch(a -> a.person().equals(who.subject()))) {
                notes.add("You approved already; the next approval must come from someone else.");
                return Optional.empty();
            }
        }
        notes.add("Decide by " + Pages.time(deadline) + ".");
        return Optional.of(new Pages.Form(csrf.issue(alert.alertId(), viewer), viewer.reviewToken(),
                !viewer.isSignedIn(), who.name()));
    }

    /** The full report from the artifact store; the stored summary when it cannot be read. */
    private Optional<String> analysis(Alert alert) {
        if (alert.s3AnalysisKey() != null) {
            try {
                return Optional.of(new String(artifacts.get(alert.s3AnalysisKey()).content(), StandardCharsets.UTF_8));
            } catch (SdkException | dev.cloudops.artifact.ArtifactNotFoundException e) {
                LOG.warn("report {} unreadable: {}", alert.s3AnalysisKey(), e.getMessage());
            }
        }
        if (alert.agentAnalysis() != null) {
            return Optional.of(alert.agentAnalysis() + (alert.s3AnalysisKey() == null ? ""
                    : "\n\n*(This is the stored summary: the full report could not be read just now.)*"));
        }
        return Optional.empty();
    }

    private JsonNode evidence(Alert alert) {
        if (alert.evidenceKey() == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(artifacts.get(alert.evidenceKey()).content()).path("items");
        } catch (IOException | SdkException | dev.cloudops.artifact.ArtifactNotFoundException e) {
            LOG.warn("evidence {} unreadable: {}", alert.evidenceKey(), e.getMessage());
            return null;
        }
    }

    // GET /alerts/{id}/report: a redirect to a short-lived link, nothing stored.
    private HttpResponse report(HttpRequest request, String id) {
        Access access = auth.forAlert(request, id, Optional.ofNullable(request.query().get("t")));
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Not allowed", denied.reason());
        }
        Optional<Alert> alert = alerts.find(id);
        if (alert.isEmpty() || alert.get().s3AnalysisKey() == null) {
            return responses.refuse(request, 404, "Not found", alert.isEmpty() ? "there is no alert " + id
                    : "no report is stored for this alert yet");
        }
        String location = artifacts.presignedUrl(alert.get().s3AnalysisKey(), REPORT_LINK).toString();
        return new HttpResponse(302, HttpResponse.baseHeaders("text/plain; charset=utf-8"),
                "The report is at a short-lived link.").with("Location", location);
    }

    // GET /alerts/{id}/log: the execution log, through a fresh short-lived link (links in chat outlive any presigned URL).
    private HttpResponse executionLog(HttpRequest request, String id) {
        Access access = auth.forAlert(request, id, Optional.ofNullable(request.query().get("t")));
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Not allowed", denied.reason());
        }
        Optional<String> key = alerts.find(id).map(Alert::executionLogUrl).filter(u -> !u.isBlank())
                .flatMap(u -> artifacts.keyOf(java.net.URI.create(u)));
        if (key.isEmpty()) {
            return responses.refuse(request, 404, "Not found", "no execution log is stored for this alert");
        }
        return new HttpResponse(302, HttpResponse.baseHeaders("text/plain; charset=utf-8"),
                "The execution log is at a short-lived link.")
                .with("Location", artifacts.presignedUrl(key.get(), REPORT_LINK).toString());
    }

    // GET /alerts: the queue, for signed-in people.
    private HttpResponse queue(HttpRequest request) {
        Access access = auth.forQueue(request);
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Sign-in needed", denied.reason());
        }
        Viewer viewer = ((Access.Granted) access).viewer();
        Page<Alert> pending;
        try {
            pending = alerts.listByStatus(ApprovalStatus.PENDING_APPROVAL, QUEUE_PAGE, request.query().get("cursor"));
        } catch (InvalidCursorException e) {
            throw new MalformedRequestException("cursor: " + e.getMessage());
        }
        List<Alert> recent = new ArrayList<>();
        for (ApprovalStatus s : List.of(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.EXPIRED)) {
            recent.addAll(alerts.listByStatus(s, RECENT, null).items());
        }
        recent.sort(Comparator.comparing(ReviewPortal::lastChange).reversed());
        List<Pages.QueueRow> pendingRows = pending.items().stream().map(a -> new Pages.QueueRow("alerts/" + a.alertId(), a))
                .toList();
        List<Pages.QueueRow> recentRows = recent.stream().limit(RECENT)
                .map(a -> new Pages.QueueRow("alerts/" + a.alertId(), a)).toList();
        if (request.wantsJson()) {
            ObjectNode out = Json.mapper().createObjectNode();
            pendingRows.forEach(r -> out.withArray("pending").add(summary(r.alert())));
            recentRows.forEach(r -> out.withArray("recent").add(summary(r.alert())));
            pending.nextCursor().ifPresent(c -> out.put("next_cursor", c));
            return responses.json(200, out);
        }
        return pages.queue(viewer.signedIn().orElseThrow().name(), pendingRows, recentRows,
                pending.nextCursor().map(c -> "alerts?cursor=" + PortalResponses.encode(c)));
    }

    private static Instant lastChange(Alert a) {
        return a.audit().isEmpty() ? a.timestamp() : a.audit().getLast().at();
    }

    private ObjectNode summary(Alert a) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("alert_id", a.alertId()).put("domain", a.domain()).put("issue_type", a.issueType().name())
                .put("severity", a.severity().name()).put("state", a.state().name())
                .put("timestamp", a.timestamp().toString());
        if (a.approvedBy() != null) {
            n.put("approved_by", a.approvedBy());
        }
        return n;
    }
}
