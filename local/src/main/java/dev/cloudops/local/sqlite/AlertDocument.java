package dev.cloudops.local.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Resolution;
import dev.cloudops.alert.Severity;
import dev.cloudops.json.RecordJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An {@link Alert} as the JSON document of its row: written by {@link RecordJson} (snake_case names, every
 * non-null component, instants and durations in ISO-8601), read back field by field, naming the field
 * that cannot be read.
 */
final class AlertDocument {

    static final String AUDIT = "audit";
    static final String VERSION = "version";
    static final String OCCURRENCES = "occurrences";
    static final String LAST_SEEN = "last_seen";
    static final String REFUSED_ATTEMPTS = "refused_attempts";
    static final String LAST_REFUSED_AT = "last_refused_at";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertDocument() {
    }

    static ObjectNode toJson(Alert alert) {
        return RecordJson.toJson(alert);
    }

    static String write(Alert alert) {
        return toJson(alert).toString();
    }

    static String write(AuditEvent event) {
        return RecordJson.toJson(event).toString();
    }

    static Alert read(String alertId, String document) {
        try {
            return read(JSON.readTree(document));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SqliteStoreException("stored alert " + alertId + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Alert read(JsonNode d) {
        Fields f = new Fields(d);
        return new Alert.Builder(
                f.requiredText("alert_id"),
                f.requiredInstant("timestamp"),
                f.requiredText("domain"),
                IssueType.valueOf(f.requiredText("issue_type")),
                Severity.valueOf(f.requiredText("severity")),
                f.requiredText("target_url"))
                .errorDetails(f.text("error_details"))
                .agentSessionId(f.text("agent_session_id"))
                .agentAnalysis(f.text("agent_analysis"))
                .s3AnalysisUrl(f.text("s3_analysis_url"))
                .s3AnalysisKey(f.text("s3_analysis_key"))
                .state(AlertState.valueOf(f.requiredText("state")))
                .approvedBy(f.text("approved_by"))
                .approvedAt(f.instant("approved_at"))
                .rejectionReason(f.text("rejection_reason"))
                .executionLogUrl(f.text("execution_log_url"))
                .executedAt(f.instant("executed_at"))
                .executionDuration(f.text("execution_duration") == null ? null
                        : Duration.parse(f.text("execution_duration")))
                .affectedServices(f.list("affected_services", JsonNode::asText))
                .estimatedImpact(f.text("estimated_impact"))
                .ttl(f.instant("ttl"))
                .fingerprint(f.text("fingerprint"))
                .occurrences(f.requiredInt(OCCURRENCES))
                .lastSeen(f.instant(LAST_SEEN))
                .analyzer(f.text("analyzer") == null ? null : Analyzer.valueOf(f.text("analyzer")))
                .plan(f.text("plan"))
                .planHash(f.text("plan_hash"))
                .approvals(f.list("approvals", AlertDocument::approval))
                .requiredApprovals(f.requiredInt("required_approvals"))
                .evidenceKey(f.text("evidence_key"))
                .runbookId(f.text("runbook_id"))
                .audit(f.list(AUDIT, AlertDocument::event))
                .version(f.requiredLong(VERSION))
                .resolvedAt(f.instant("resolved_at"))
                .resolution(f.text("resolution") == null ? null : Resolution.valueOf(f.text("resolution")))
                .refusedAttempts(f.node().has(REFUSED_ATTEMPTS) ? f.requiredInt(REFUSED_ATTEMPTS) : 0)
                .lastRefusedAt(f.instant(LAST_REFUSED_AT))
                .build();
    }

    private static Approval approval(JsonNode node) {
        Fields f = new Fields(node);
        return new Approval(f.requiredText("by"), f.text("subject"), f.text("role"), f.bool("verified"),
                f.requiredInstant("at"), f.text("comment"), f.text("plan_hash"), f.text("policy_hash"));
    }

    private static AuditEvent event(JsonNode node) {
        Fields f = new Fields(node);
        return new AuditEvent(f.requiredInstant("at"), AuditAction.valueOf(f.requiredText("action")),
                f.requiredText("actor"), f.bool("verified"), f.text("source_ip"), f.text("user_agent"),
                f.requiredText("result"), f.text("detail"), f.text("previous"));
    }

    /** Typed reads from one JSON object, naming the field when it is missing or of the wrong type. */
    private record Fields(JsonNode node) {

        String text(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw new IllegalArgumentException("field " + name + " is not a string");
            }
            return v.asText();
        }

        String requiredText(String name) {
            String v = text(name);
            if (v == null) {
                throw new IllegalArgumentException("field " + name + " is missing");
            }
            return v;
        }

        Instant instant(String name) {
            String v = text(name);
            return v == null ? null : Instant.parse(v);
        }

        Instant requiredInstant(String name) {
            return Instant.parse(requiredText(name));
        }

        long requiredLong(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException("field " + name + " is missing or not a whole number");
            }
            return v.asLong();
        }

        int requiredInt(String name) {
            return Math.toIntExact(requiredLong(name));
        }

        boolean bool(String name) {
            JsonNode v = node.get(name);
            return v != null && v.asBoolean(false);
        }

        <T> List<T> list(String name, Function<JsonNode, T> element) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new IllegalArgumentException("field " + name + " is not a list");
            }
            List<T> out = new ArrayList<>(v.size());
            v.forEach(e -> out.add(element.apply(e)));
            return out;
        }
    }
}
