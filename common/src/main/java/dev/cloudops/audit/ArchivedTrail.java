package dev.cloudops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditChain;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.time.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the audit trail of an archived alert (the JSON the executor writes under {@code executions/archive/} when
 * an alert closes: the alert, component by component, and its {@code audit_head}) so that it can be verified
 * away from the tables: {@link #verify} checks the trail against the head stored with it.
 */
public final class ArchivedTrail {

    private ArchivedTrail() {
    }

    /**
     * The verdict on the archived alert {@code archive}.
     *
     * @throws IllegalArgumentException when the document is not an archived alert (no id, trail or head), naming
     *     what is missing
     */
    public static AuditChain.Verdict verify(JsonNode archive) {
        String alertId = archive.path("alert_id").asText("");
        if (alertId.isBlank()) {
            throw new IllegalArgumentException("not an archived alert: no alert_id");
        }
        if (!archive.path("audit").isArray()) {
            throw new IllegalArgumentException("archived alert " + alertId + " has no audit trail");
        }
        Optional<AuditChain.Head> head = AuditChain.Head.parse(archive.path("audit_head").asText(null));
        if (head.isEmpty()) {
            throw new IllegalArgumentException("archived alert " + alertId + " has no audit_head (archived before "
                    + "the trail was chained, or the head was removed)");
        }
        return AuditChain.verify(alertId, events(archive.path("audit")), head.get());
    }

    /** The entries as archived, in order. */
    static List<AuditEvent> events(JsonNode audit) {
        List<AuditEvent> events = new ArrayList<>();
        int n = 0;
        for (JsonNode e : audit) {
            n++;
            try {
                events.add(new AuditEvent(Timestamps.parse(e.path("at").asText()),
                        AuditAction.valueOf(e.path("action").asText()), e.path("actor").asText(),
                        e.path("verified").asBoolean(), text(e, "source_ip"), text(e, "user_agent"),
                        e.path("result").asText(), text(e, "detail"), text(e, "previous")));
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw new IllegalArgumentException("audit entry " + n + " cannot be read: " + ex.getMessage(), ex);
            }
        }
        return events;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
