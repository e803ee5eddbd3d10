package dev.cloudops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.approval.auth.Access;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.auth.Viewer;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * GET /alerts/{id}: the review page, with the analysis, the evidence and, when this viewer may decide now, the
 * decision form. It only reads (a GET never changes an alert); what is shown changes here, what is decided does not.
 */
final class ReviewPageRoute {

    // The portal's log category, unchanged by the portal's split, so that log filters keep matching.
    private static final Logger LOG = LoggerFactory.getLogger(ReviewPortal.class);

    private final AlertRepository alerts;
    private final ArtifactStore artifacts;
    private final DecisionRecorder recorder;
    private final Authenticator auth;
    private final CsrfTokens csrf;
    private final PortalResponses responses;
    private final Clock clock;

    ReviewPageRoute(AlertRepository alerts, ArtifactStore artifacts, DecisionRecorder recorder, Authenticator auth,
            CsrfTokens csrf, PortalResponses responses, Clock clock) {
        this.alerts = alerts;
        this.artifacts = artifacts;
        this.recorder = recorder;
        this.auth = auth;
        this.csrf = csrf;
        this.responses = responses;
        this.clock = clock;
    }

    HttpResponse review(HttpRequest request, String id) {
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
                : Optional.of(id + "/report"
                        + viewer.reviewToken().map(t -> "?t=" + PortalResponses.encode(t)).orElse(""));
        // Shown only when there is no analysis to show: none yet, or a report that cannot be read and no summary.
        String analysisNote = alert.s3AnalysisKey() == null ? "The analysis has not finished yet."
                : "The full report could not be read just now.";
        return responses.pages().review(new Pages.ReviewModel(alert, analysis(alert), analysisNote, evidence(alert),
                notes, form, reportHref));
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
                !viewer.isSignedIn(), who.name(), recorder.grants(alert)));
    }

    /** The full report from the artifact store; the stored summary when it cannot be read. */
    private Optional<String> analysis(Alert alert) {
        if (alert.s3AnalysisKey() != null) {
            try {
                return Optional.of(new String(artifacts.get(alert.s3AnalysisKey()).content(), StandardCharsets.UTF_8));
            } catch (SdkException | ArtifactNotFoundException e) {
                LOG.warn("report {} unreadable: {}", alert.s3AnalysisKey(), e.getMessage());
            }
        }
        if (alert.agentAnalysis() != null) {
            return Optional.of(alert.agentAnalysis() + (alert.s3AnalysisKey() == null ? ""
                    : "\n\n*(This is the stored summary: the full report could not be read just now.)*"));
        }
        return Optional.empty();
    }

    /** The evidence items, or null when there are none or they cannot be read: the page then shows none. */
    private JsonNode evidence(Alert alert) {
        if (alert.evidenceKey() == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(artifacts.get(alert.evidenceKey()).content()).path("items");
        } catch (IOException | SdkException | ArtifactNotFoundException e) {
            LOG.warn("evidence {} unreadable: {}", alert.evidenceKey(), e.getMessage());
            return null;
        }
    }
}
