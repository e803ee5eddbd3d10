package dev.cloudops.notify.teams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Severity;
import dev.cloudops.notify.Notification;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.util.Locale;

/**
 * A notification as a Teams Adaptive Card (version 1.5) in the message envelope that Teams Workflows
 * webhooks expect. Buttons only open pages: approving always happens on the review page. Text from outside
 * (names, comments, reports, what a site answered) goes only into {@code TextRun}s, which Teams never reads
 * as markdown; {@code TextBlock}s and facts, which it does, carry only our own words and values.
 */
public final class TeamsCard {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 4_000;

    private TeamsCard() {
    }

    /** The whole webhook payload: {@code {"type": "message", "attachments": [{card}]}}. */
    public static ObjectNode from(Notification n) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("type", "message");
        ObjectNode attachment = envelope.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card(n));
        return envelope;
    }

    /** The card alone. */
    public static ObjectNode card(Notification n) {
        ObjectNode card = JSON.createObjectNode();
        card.put("type", "AdaptiveCard");
        card.put("version", "1.5");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", Notification.title(n)).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true).put("color", colour(n));
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, "Severity", n.alert().severity().name().toLowerCase(Locale.ROOT));
        fact(facts, "Domain", n.alert().domain());
        fact(facts, "Issue", n.alert().issueType().name());
        fact(facts, "Alert", n.alert().alertId());
        ArrayNode actions = card.putArray("actions");
        switch (n) {
            case Notification.AlertRaised r -> {
                fact(facts, "Analysed by", r.analyzer() == null ? "not yet" : r.analyzer().wireName());
                fact(facts, "Evidence", r.evidenceCount() == null ? null : r.evidenceCount() + " items");
                text(body, r.rootCause(), true);
                text(body, r.summary(), false);
                if (r.plan() != null) {
                    text(body, (r.plan().executable() ? "Plan (risk " + r.plan().risk().name().toLowerCase(Locale.ROOT)
                            + ", runs only after approval):" : "No executable plan; for a person:"), true);
                    StringBuilder steps = new StringBuilder();
                    int i = 1;
                    for (String step : r.plan().steps()) {
                        steps.append(i++).append(". ").append(step).append("\n");
                    }
                    text(body, steps.toString().strip(), false);
                }
                link(actions, "Review and decide", r.reviewLink());
                link(actions, "Full analysis", r.reportLink());
            }
            case Notification.DecisionRecorded d -> {
                fact(facts, "Decision", d.decision());
                text(body, "By " + d.decidedBy() + (d.verified() ? " (verified)" : " (not verified)"), false);
                text(body, d.comment(), false);
                link(actions, "Open the alert", d.reviewLink());
            }
            case Notification.ExecutionFinished e -> {
                fact(facts, "Status", e.status().name());
                fact(facts, "Steps", e.stepsDone() + " of " + e.stepsTotal());
                fact(facts, "Duration", e.duration().toMillis() / 1000.0 + " s");
                fact(facts, "Rolled back", e.rolledBack() ? "yes" : "no");
                text(body, e.detail(), false);
                link(actions, "Execution log", e.logLink());
            }
            case Notification.ExecutionDeferred d -> {
                fact(facts, "Runs at", Timestamps.forPeople(d.at()));
                text(body, d.reason(), false);
            }
            case Notification.ActionNeeded x -> {
                text(body, x.detail(), false);
                text(body, "For a person:", true);
                StringBuilder steps = new StringBuilder();
                int i = 1;
                for (String step : x.steps()) {
                    steps.append(i++).append(". ").append(step).append("\n");
                }
                text(body, steps.toString().strip(), false);
                link(actions, "Execution log", x.logLink());
            }
            case Notification.AlertRecovered r -> text(body, r.detail(), false);
            case Notification.AlertExpired x -> text(body, x.reason(), false);
        }
        if (actions.isEmpty()) {
            card.remove("actions");
        }
        return card;
    }

    private static String colour(Notification n) {
        if (n instanceof Notification.AlertRecovered) {
            return "Good";
        }
        if (n instanceof Notification.ExecutionFinished e) {
            return e.status() == dev.cloudops.alert.ExecutionStatus.COMPLETED ? "Good" : "Attention";
        }
        Severity s = n.alert().severity();
        return switch (s) {
            case CRITICAL, HIGH -> "Attention";
            case MEDIUM -> "Warning";
            case LOW -> "Accent";
        };
    }

    private static void fact(ArrayNode facts, String title, String value) {
        if (value != null && !value.isBlank()) {
            facts.addObject().put("title", title).put("value", clip(value));
        }
    }

    /** Plain text: a {@code RichTextBlock} of one {@code TextRun}, which Teams shows as written (no markdown). */
    private static void text(ArrayNode body, String text, boolean bold) {
        if (text == null || text.isBlank()) {
            return;
        }
        ObjectNode run = body.addObject().put("type", "RichTextBlock").putArray("inlines").addObject()
                .put("type", "TextRun").put("text", clip(text));
        if (bold) {
            run.put("weight", "Bolder");
        }
    }

    private static void link(ArrayNode actions, String title, URI url) {
        if (url != null) {
            actions.addObject().put("type", "Action.OpenUrl").put("title", title).put("url", url.toString());
        }
    }

    private static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
