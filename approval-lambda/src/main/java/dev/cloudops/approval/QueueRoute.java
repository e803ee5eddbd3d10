package dev.cloudops.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.InvalidCursorException;
import dev.cloudops.alert.Page;
import dev.cloudops.approval.auth.Access;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.Viewer;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GET /alerts: the queue for signed-in people, the alerts waiting for a decision a page at a time and the most
 * recently decided ones, as a page or as JSON. It only reads.
 */
final class QueueRoute {

    private static final int QUEUE_PAGE = 50;
    private static final int RECENT = 20;

    private final AlertRepository alerts;
    private final Authenticator auth;
    private final PortalResponses responses;

    QueueRoute(AlertRepository alerts, Authenticator auth, PortalResponses responses) {
        this.alerts = alerts;
        this.auth = auth;
        this.responses = responses;
    }

    HttpResponse queue(HttpRequest request) {
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
        recent.sort(Comparator.comparing(QueueRoute::lastChange).reversed());
        List<Pages.QueueRow> pendingRows = pending.items().stream()
                .map(a -> new Pages.QueueRow("alerts/" + a.alertId(), a)).toList();
        List<Pages.QueueRow> recentRows = recent.stream().limit(RECENT)
                .map(a -> new Pages.QueueRow("alerts/" + a.alertId(), a)).toList();
        if (request.wantsJson()) {
            ObjectNode out = Json.mapper().createObjectNode();
            pendingRows.forEach(r -> out.withArray("pending").add(summary(r.alert())));
            recentRows.forEach(r -> out.withArray("recent").add(summary(r.alert())));
            pending.nextCursor().ifPresent(c -> out.put("next_cursor", c));
            return responses.json(200, out);
        }
        return responses.pages().queue(viewer.signedIn().orElseThrow().name(), pendingRows, recentRows,
                pending.nextCursor().map(c -> "alerts?cursor=" + PortalResponses.encode(c)));
    }

    private static Instant lastChange(Alert a) {
        return a.audit().isEmpty() ? a.timestamp() : a.audit().getLast().at();
    }

    private static ObjectNode summary(Alert a) {
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
