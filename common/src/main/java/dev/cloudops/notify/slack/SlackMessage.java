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
 * URL buttons, always within Slack's limits however long the report is. Text from outside (names, comments,
 * reports, what a site answered) goes only into {@code plain_text} objects, so it is never mrkdwn.
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
        message.put("text", clip(escape(Notification.title(n)), MAX_TEXT));
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").set("text", plain(Notification.title(n), MAX_HEADER));
        List<Field> fields = new ArrayList<>(List.of(
                Field.ours("Severity", n.alert().severity().name().toLowerCase(Locale.ROOT)),
                Field.outside("Domain", n.alert().domain()),
                Field.ours("Issue", n.alert().issueType().name())));
        List<ObjectNode> texts = new ArrayList<>();
        List<String[]> buttons = new ArrayList<>();
        switch (n) {
            case Notification.AlertRaised r -> {
                fields.add(Field.ours("Analysed by", r.analyzer() == null ? "not yet" : r.analyzer().wireName()));
                if (r.evidenceCount() != null) {
                    fields.add(Field.ours("Evidence", r.evidenceCount() + " items"));
                }
                texts.add(plain(r.rootCause()));
                texts.add(plain(r.summary()));
                if (r.plan() != null) {
                    texts.add(mrkdwn(r.plan().executable() ? "*Plan* (risk "
                            + r.plan().risk().name().toLowerCase(Locale.ROOT) + ", runs only after approval)"
                            : "*No executable plan*; for a person:"));
                    StringBuilder steps = new StringBuilder();
                    int i = 1;
                    for (String step : r.plan().steps()) {
                        steps.append(steps.isEmpty() ? "" : "\n").append(i++).append(". ").append(step);
                    }
                    texts.add(plain(steps.toString()));
                }
                buttons.add(new String[] {"Review and decide", url(r.reviewLink())});
                buttons.add(new String[] {"Full analysis", url(r.reportLink())});
            }
            case Notification.DecisionRecorded d -> {
                fields.add(Field.ours("Decision", d.decision()));
                fields.add(Field.outside("By", d.decidedBy() + (d.verified() ? " (verified)" : " (not verified)")));
                texts.add(plain(d.comment()));
                buttons.add(new String[] {"Open the alert", url(d.reviewLink())});
            }
            case Notification.ExecutionFinished e -> {
                fields.add(Field.ours("Status", e.status().name()));
                fields.add(Field.ours("Steps", e.stepsDone() + " of " + e.stepsTotal()));
                fields.add(Field.ours("Duration", e.duration().toMillis() / 1000.0 + " s"));
                fields.add(Field.ours("Rolled back", e.rolledBack() ? "yes" : "no"));
                texts.add(plain(e.detail()));
                buttons.add(new String[] {"Execution log", url(e.logLink())});
            }
            case Notification.ExecutionDeferred d -> {
                fields.add(Field.ours("Runs at", Timestamps.forPeople(d.at())));
                texts.add(plain(d.reason()));
            }
            case Notification.ActionNeeded x -> {
                texts.add(plain(x.detail()));
                StringBuilder steps = new StringBuilder("For a person:");
                int i = 1;
                for (String step : x.steps()) {
                    steps.append("\n").append(i++).append(". ").append(step);
                }
                texts.add(plain(steps.toString()));
                buttons.add(new String[] {"Execution log", url(x.logLink())});
            }
            case Notification.AlertRecovered r -> texts.add(plain(r.detail()));
            case Notification.AlertExpired x -> texts.add(plain(x.reason()));
        }
        ObjectNode section = blocks.addObject().put("type", "section");
        ArrayNode fieldNodes = section.putArray("fields");
        for (Field f : fields.subList(0, Math.min(fields.size(), MAX_FIELDS))) {
            fieldNodes.add(f.outside() ? plain(f.label() + "\n" + f.value(), MAX_FIELD)
                    : mrkdwn(clip("*" + f.label() + "*\n" + escape(f.value()), MAX_FIELD)));
        }
        for (ObjectNode text : texts) {
            String content = text.path("text").asText();
            if (!content.isBlank() && blocks.size() < MAX_BLOCKS - 2) {
                blocks.addObject().put("type", "section").set("text", text);
            }
        }
        blocks.addObject().put("type", "context").putArray("elements")
                .add(plain("alert " + n.alert().alertId() + " · " + n.alert().targetUrl()));
        ArrayNode elements = JSON.createArrayNode();
        for (String[] b : buttons) {
            if (b[1] != null) {
                ObjectNode button = elements.addObject().put("type", "button");
                button.set("text", plain(b[0], MAX_BUTTON_TEXT));
                button.put("url", b[1]);
            }
        }
        if (!elements.isEmpty()) {
            blocks.addObject().put("type", "actions").set("elements", elements);
        }
        return message;
    }

    /** One field: our own value (shown in mrkdwn under a bold label), or text from outside (shown as plain text). */
    private record Field(String label, String value, boolean outside) {

        static Field ours(String label, String value) {
            return new Field(label, value, false);
        }

        static Field outside(String label, String value) {
            return new Field(label, value, true);
        }
    }

    /**
     * Text shown as written: {@code plain_text} is never read as mrkdwn (no bold, no links, no mentions), and
     * with {@code emoji} off not even {@code :codes:} are; Slack's three control characters are escaped still.
     */
    private static ObjectNode plain(String text) {
        return plain(text, MAX_TEXT);
    }

    private static ObjectNode plain(String text, int max) {
        return JSON.createObjectNode().put("type", "plain_text")
                .put("text", text == null ? "" : clip(escape(text), max)).put("emoji", false);
    }

    /** Our own words with mrkdwn formatting; never text from outside. */
    private static ObjectNode mrkdwn(String text) {
        return JSON.createObjectNode().put("type", "mrkdwn").put("text", clip(text, MAX_TEXT));
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
