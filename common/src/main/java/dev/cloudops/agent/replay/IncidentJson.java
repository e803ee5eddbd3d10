package dev.cloudops.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.time.Timestamps;
import java.util.List;

/** The JSON form of an {@link Incident} in a recorded incident's {@code incident.json}; field names as the alert's. */
public final class IncidentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentJson() {
    }

    public static ObjectNode toJson(Incident incident) {
        return JSON.createObjectNode().put("alert_id", incident.alertId()).put("url", incident.url())
                .put("host", incident.host()).put("issue_type", incident.issueType().name())
                .put("severity", incident.severity().name()).put("error_details", incident.errorDetails())
                .put("detected_at", Timestamps.format(incident.detectedAt())).put("occurrences", incident.occurrences());
    }

    /** Reads what {@link #toJson} writes; every field is required and a missing or mistyped one is named. */
    public static Incident fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("an incident is a JSON object");
        }
        String detectedAt = text(root, "detected_at");
        JsonNode occurrences = root.get("occurrences");
        if (occurrences == null || !occurrences.canConvertToInt() || !occurrences.isIntegralNumber()
                || occurrences.asInt() < 1) {
            throw new IllegalArgumentException("$.occurrences: missing or not a whole number of at least 1");
        }
        try {
            return new Incident(text(root, "alert_id"), text(root, "url"), text(root, "host"),
                    constant(IssueType.class, root, "issue_type"), constant(Severity.class, root, "severity"),
                    text(root, "error_details"), Timestamps.parse(detectedAt), occurrences.asInt());
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("$.")) {
                throw e;
            }
            throw new IllegalArgumentException("$.detected_at: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("$." + field + ": missing or not a string");
        }
        return value.asText();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode node, String field) {
        String value = text(node, field);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("$." + field + ": '" + value + "' is not one of "
                    + List.of(type.getEnumConstants()), e);
        }
    }
}
