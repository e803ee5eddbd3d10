package dev.cloudops.approval;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.approval.auth.Access;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.artifact.ArtifactStore;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * GET /alerts/{id}/report and GET /alerts/{id}/log: a redirect to a fresh short-lived link to the stored
 * artifact, and nothing stored. Links in chat outlive any presigned URL, so the portal mints one per visit.
 */
final class ArtifactLinkRoutes {

    private static final Duration LINK_LIFETIME = Duration.ofMinutes(5);

    private final AlertRepository alerts;
    private final ArtifactStore artifacts;
    private final Authenticator auth;
    private final PortalResponses responses;

    ArtifactLinkRoutes(AlertRepository alerts, ArtifactStore artifacts, Authenticator auth,
            PortalResponses responses) {
        this.alerts = alerts;
        this.artifacts = artifacts;
        this.auth = auth;
        this.responses = responses;
    }

    /** The full analysis report. */
    HttpResponse report(HttpRequest request, String id) {
        Access access = auth.forAlert(request, id, Optional.ofNullable(request.query().get("t")));
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Not allowed", denied.reason());
        }
        Optional<Alert> alert = alerts.find(id);
        if (alert.isEmpty() || alert.get().s3AnalysisKey() == null) {
            return responses.refuse(request, 404, "Not found", alert.isEmpty() ? "there is no alert " + id
                    : "no report is stored for this alert yet");
        }
        String location = artifacts.presignedUrl(alert.get().s3AnalysisKey(), LINK_LIFETIME).toString();
        return new HttpResponse(302, HttpResponse.baseHeaders("text/plain; charset=utf-8"),
                "The report is at a short-lived link.").with("Location", location);
    }

    /** The execution log. */
    HttpResponse executionLog(HttpRequest request, String id) {
        Access access = auth.forAlert(request, id, Optional.ofNullable(request.query().get("t")));
        if (access instanceof Access.Denied denied) {
            return responses.refuse(request, denied.status(), "Not allowed", denied.reason());
        }
        Optional<String> key = alerts.find(id).map(Alert::executionLogUrl).filter(u -> !u.isBlank())
                .flatMap(u -> artifacts.keyOf(URI.create(u)));
        if (key.isEmpty()) {
            return responses.refuse(request, 404, "Not found", "no execution log is stored for this alert");
        }
        return new HttpResponse(302, HttpResponse.baseHeaders("text/plain; charset=utf-8"),
                "The execution log is at a short-lived link.")
                .with("Location", artifacts.presignedUrl(key.get(), LINK_LIFETIME).toString());
    }
}
