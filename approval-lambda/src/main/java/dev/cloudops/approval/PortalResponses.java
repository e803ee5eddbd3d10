package dev.cloudops.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How the portal's routes answer: a page for a browser, JSON for a client that asks for it, with the same status
 * either way. Kept in one place so that every route refuses and reports an outcome in the same shape.
 */
final class PortalResponses {

    private final Pages pages;

    PortalResponses(Pages pages) {
        this.pages = pages;
    }

    /** The page renderer, for routes that answer with a page of their own. */
    Pages pages() {
        return pages;
    }

    /** The outcome of a decision attempt. */
    HttpResponse answer(HttpRequest request, int status, String outcome, String heading, String message,
            boolean good, Alert alert, String back) {
        if (request.wantsJson()) {
            ObjectNode out = Json.mapper().createObjectNode().put("outcome", outcome).put("message", message);
            if (alert != null) {
                out.put("alert_id", alert.alertId()).put("state", alert.state().name());
                if (alert.approvedBy() != null) {
                    out.put("approved_by", alert.approvedBy());
                }
            }
            return json(status, out);
        }
        return pages.outcome(status, heading, message, good, alert, back);
    }

    /** A refused request, with the reason it was refused. */
    HttpResponse refuse(HttpRequest request, int status, String heading, String reason) {
        if (request.wantsJson()) {
            return json(status, Json.mapper().createObjectNode().put("outcome", "refused").put("status", status)
                    .put("message", reason));
        }
        return pages.error(status, heading, reason);
    }

    HttpResponse json(int status, ObjectNode body) {
        return new HttpResponse(status, HttpResponse.baseHeaders("application/json"), body.toString());
    }

    /** A value encoded for a query string. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
