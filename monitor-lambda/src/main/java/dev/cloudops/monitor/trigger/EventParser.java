package dev.cloudops.monitor.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.monitor.target.TargetDocument;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells the monitor's invocation events apart by shape: an EventBridge scheduled event, an SNS
 * delivery (each record a CloudWatch alarm notification or a manual request), or a manual request
 * invoked directly ({@code {"url": ..., "reason": ..., "requested_by": ...}}).
 */
public final class EventParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 500;

    public List<Trigger> parse(byte[] event) {
        JsonNode root;
        try {
            root = JSON.readTree(event);
        } catch (IOException e) {
            throw new InvalidEventException("the event is not JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("the event must be a JSON object");
        }
        if (root.has("Records")) {
            return sns(root.get("Records"));
        }
        if ("Scheduled Event".equals(text(root, "detail-type"))) {
            return List.of(scheduled(root));
        }
        if (root.has("url")) {
            return List.of(manual(root, "the event"));
        }
        throw new InvalidEventException("unknown event: expected an EventBridge scheduled event, an SNS delivery or "
                + "a manual request {\"url\": ..., \"reason\": ..., \"requested_by\": ...}; got fields "
                + fieldNames(root));
    }

    private static Trigger scheduled(JsonNode root) {
        String source = text(root, "source");
        if (!"aws.events".equals(source) && !"aws.scheduler".equals(source)) {
            throw new InvalidEventException("a scheduled event must come from aws.events or aws.scheduler, not "
                    + source);
        }
        String time = text(root, "time");
        try {
            return new Trigger.Scheduled(time == null ? null : Instant.parse(time));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("the scheduled event's time is not an ISO-8601 instant: " + time);
        }
    }

    private static List<Trigger> sns(JsonNode records) {
        if (!records.isArray() || records.isEmpty()) {
            throw new InvalidEventException("'Records' must be a non-empty list");
        }
        List<Trigger> triggers = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String where = "Records[" + i + "]";
            if (!"aws:sns".equals(text(record, "EventSource")) || !record.path("Sns").isObject()) {
                throw new InvalidEventException(where + " is not an SNS record (EventSource " + text(record,
                        "EventSource") + ")");
            }
            String message = text(record.get("Sns"), "Message");
            if (message == null) {
                throw new InvalidEventException(where + " has no Sns.Message");
            }
            JsonNode body;
            try {
                body = JSON.readTree(message);
            } catch (JsonProcessingException e) {
                throw new InvalidEventException(where + ".Sns.Message is not JSON: " + firstLine(e));
            }
            if (body == null || !body.isObject()) {
                throw new InvalidEventException(where + ".Sns.Message must be a JSON object");
            }
            if (body.has("AlarmName")) {
                triggers.add(alarm(body, where));
            } else if (body.has("url")) {
                triggers.add(manual(body, where + ".Sns.Message"));
            } else {
                throw new InvalidEventException(where + ".Sns.Message is neither a CloudWatch alarm notification "
                        + "nor a manual request; got fields " + fieldNames(body));
            }
        }
        return triggers;
    }

    private static Trigger alarm(JsonNode body, String where) {
        String name = text(body, "AlarmName");
        String state = text(body, "NewStateValue");
        if (name == null || name.isBlank() || state == null
                || !(state.equals("ALARM") || state.equals("OK") || state.equals("INSUFFICIENT_DATA"))) {
            throw new InvalidEventException(where + " is a CloudWatch alarm notification without a valid AlarmName "
                    + "and NewStateValue (ALARM, OK or INSUFFICIENT_DATA)");
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (JsonNode d : body.path("Trigger").path("Dimensions")) {
            // CloudWatch writes these keys in lower case ("name", "value")
            String key = d.has("name") ? text(d, "name") : text(d, "Name");
            String value = d.has("value") ? text(d, "value") : text(d, "Value");
            if (key != null && value != null) {
                dimensions.put(key, value);
            }
        }
        return new Trigger.Alarm(name, state, text(body, "NewStateReason"), dimensions);
    }

    private static Trigger manual(JsonNode body, String where) {
        String url = text(body, "url");
        List<String> problems = new ArrayList<>();
        URI uri = null;
        if (url == null || url.isBlank()) {
            problems.add("'url' must be a string");
        } else {
            try {
                uri = TargetDocument.lowerCaseScheme(new URI(url.trim()));
                if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                    problems.add("'url' must be an absolute http or https URL, was '" + url + "'");
                }
            } catch (URISyntaxException e) {
                problems.add("'url' is not a valid URL: " + e.getReason());
            }
        }
        String reason = optional(body, "reason", problems);
        String requestedBy = optional(body, "requested_by", problems);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(where + " is not a valid manual request: " + String.join("; ", problems));
        }
        return new Trigger.Manual(uri, reason, requestedBy);
    }

    private static String optional(JsonNode body, String field, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > MAX_TEXT) {
            problems.add("'" + field + "' must be a string of at most " + MAX_TEXT + " characters");
            return null;
        }
        return value.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.size() > 10 ? names.subList(0, 10) : names;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
