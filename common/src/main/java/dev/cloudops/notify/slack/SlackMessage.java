package dev.cloudops.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.notify.Notification;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A notification as a Slack incoming-webhook message in Block Kit: header, fields, text, context and
 * URL buttons, always within Slack's limits however long the report is.
 */
public final class SlackMessage {

    /** Slack's limits. */
    public static final int MAX_BLOCKS = 50;
    public static final int MAX_TEXT = 3_000;
    public static final int MAX_HEADER = 150;
    static final int MAX_FIELD = 2_000;
    static final int MAX_FIELDS = 10;
    static final int MAX_BUTTON_TEXT = 75;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessage() {
    }

    public static ObjectNode from(Notification n) {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", clip(Notification.title(n), MAX_TEXT));
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").set("text", plain(clip(Notification.title(n), MAX_HEADER)));
        List<String[]> fields = new ArrayList<>(List.of(
                new String[] {"Severity", n.alert().severity().name().toLowerCase(Locale.ROOT)},
                new String[] {"Domain", n.alert().domain()},
                new String[] {"Issue", n.alert().issueType().name()}));
        List<String> texts = new ArrayList<>();
        List<String[]> buttons = new ArrayList<>();
        switch (n) {
            case Notification.AlertRaised r -> {
                fields.add(new String[] {"Analysed by", r.analyzer() == null ? "not yet" : r.analyzer().wireName()});
                if (r.evidenceCount() != null) {
                    fields.add(new String[] {"Evidence", r.evidenceCount() + " items"});
                }
                texts.add("*" + escape(r.rootCause()) + "*");
                texts.add(escape(r.summary()));
                if (r.plan() != null) {
                    StringBuilder plan = new StringBuilder(r.plan().executable()
                            ? "*Plan* (risk " + r.plan().risk().name().toLowerCase(Locale.ROOT) + ", runs only after approval)"
                            : "*No executable plan*; for a person:");
                    int i = 1;
                    for (String step : r.plan().steps()) {
                        plan.append('\n').append(i++).append(". ").append(escape(step));
                    }
                    texts.add(plan.toString());
                }
                buttons.add(new String[] {"Review and decide", url(r.reviewLink())});
                buttons.add(new String[] {"Full analysis", url(r.reportLink())});
            }
            case Notification.DecisionRecorded d -> {
                fields.add(new String[] {"Decision", d.decision()});
                fields.add(new String[] {"By", d.decidedBy() + (d.verified() ? " (verified)" : " (not verified)")});
                texts.add(escape(d.comment()));
                buttons.add(new String[] {"Open the alert", url(d.reviewLink())});
            }
            case Notification.ExecutionFinished e -> {
                fields.add(new String[] {"Status", e.status().name()});
                fields.add(new String[] {"Steps", e.stepsDone() + " of " + e.stepsTotal()});
                fields.add(new String[] {"Duration", e.duration().toMillis() / 1000.0 + " s"});
                fields.add(new String[] {"Rolled back", e.rolledBack() ? "yes" : "no"});
                texts.add(escape(e.detail()));
                buttons.add(new String[] {"Execution log", url(e.logLink())});
            }
            case Notification.ExecutionDeferred d -> {
                fields.add(new String[] {"Runs at", Timestamps.forPeople(d.at())});
                texts.add(escape(d.reason()));
            }
            case Notification.ActionNeeded x -> {
                texts.add(escape(x.detail()));
                StringBuilder steps = new StringBuilder("*For a person:*");
                int i = 1;
                for (String step : x.steps()) {
                    steps.append("\n").append(i++).append(". ").append(escape(step));
                }
                texts.add(steps.toString());
                buttons.add(new String[] {"Execution log", url(x.logLink())});
            }
            case Notification.AlertRecovered r -> texts.add(escape(r.detail()));
            case Notification.AlertExpired x -> texts.add(escape(x.reason()));
        }
        ObjectNode section = blocks.addObject().put("type", "section");
        ArrayNode fieldNodes = section.putArray("fields");
        for (String[] f : fields.subList(0, Math.min(fields.size(), MAX_FIELDS))) {
            fieldNodes.add(mrkdwn(clip("*" + f[0] + "*\n" + escape(f[1]), MAX_FIELD)));
        }
        for (String text : texts) {
            if (text != null && !text.isBlank() && blocks.size() < MAX_BLOCKS - 2) {
                blocks.addObject().put("type", "section").set("text", mrkdwn(clip(text, MAX_TEXT)));
            }
        }
        blocks.addObject().put("type", "context").putArray("elements")
                .add(mrkdwn(clip("alert " + n.alert().alertId() + " · " + escape(String.valueOf(n.alert().targetUrl())),
                        MAX_TEXT)));
        ArrayNode elements = JSON.createArrayNode();
        for (String[] b : buttons) {
            if (b[1] != null) {
                ObjectNode button = elements.addObject().put("type", "button");
                button.set("text", plain(clip(b[0], MAX_BUTTON_TEXT)));
                button.put("url", b[1]);
            }
        }
        if (!elements.isEmpty()) {
            blocks.addObject().put("type", "actions").set("elements", elements);
        }
        return message;
    }

    private static ObjectNode plain(String text) {
        return JSON.createObjectNode().put("type", "plain_text").put("text", text);
    }

    private static ObjectNode mrkdwn(String text) {
        return JSON.createObjectNode().put("type", "mrkdwn").put("text", text);
    }

    private static String url(URI uri) {
        return uri == null ? null : uri.toString();
    }

    /** Slack's three control characters; everything else is shown as written. */
    static String escape(String text) {
        return text == null ? null : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
