package dev.cloudops.alert.dynamodb;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Resolution;
import dev.cloudops.alert.Severity;
import dev.cloudops.time.Timestamps;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps an {@link Alert} to and from its DynamoDB item by hand (no reflection), keeping the original
 * attribute names. Absent values are left out of the item rather than stored as nulls.
 */
final class AlertItemMapper {

    static final String ALERT_ID = "alert_id";
    static final String TIMESTAMP = "timestamp";
    static final String APPROVAL_STATUS = "approval_status";
    static final String EXECUTION_STATUS = "execution_status";
    static final String FINGERPRINT = "fingerprint";
    static final String AUDIT = "audit";
    static final String REFUSED_ATTEMPTS = "refused_attempts";
    static final String LAST_REFUSED_AT = "last_refused_at";
    static final String VERSION = "version";
    /** The audit trail's head ({@link dev.cloudops.alert.AuditChain.Head}), changed with every appended entry. */
    static final String AUDIT_HEAD = "audit_head";
    static final String TTL = "ttl";

    private AlertItemMapper() {
    }

    static Map<String, AttributeValue> toItem(Alert a) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        putS(item, ALERT_ID, a.alertId());
        putS(item, TIMESTAMP, Timestamps.format(a.timestamp()));
        putS(item, "domain", a.domain());
        putS(item, "issue_type", a.issueType().name());
        putS(item, "error_details", a.errorDetails());
        putS(item, "agent_session_id", a.agentSessionId());
        putS(item, "agent_analysis", a.agentAnalysis());
        putS(item, "s3_analysis_url", a.s3AnalysisUrl());
        putS(item, "s3_analysis_key", a.s3AnalysisKey());
        putS(item, APPROVAL_STATUS, a.approvalStatus().name());
        putS(item, "approved_by", a.approvedBy());
        putTime(item, "approved_at", a.approvedAt());
        putS(item, "rejection_reason", a.rejectionReason());
        putS(item, EXECUTION_STATUS, a.executionStatus().name());
        putS(item, "execution_log_url", a.executionLogUrl());
        putTime(item, "executed_at", a.executedAt());
        if (a.executionDuration() != null) {
            // seconds with millisecond precision, e.g. 12.345
            item.put("execution_duration", number(BigDecimal.valueOf(a.executionDuration().toMillis(), 3)));
        }
        putS(item, "severity", a.severity().name());
        if (!a.affectedServices().isEmpty()) {
            item.put("affected_services", AttributeValue.fromL(a.affectedServices().stream()
                    .map(AttributeValue::fromS).toList()));
        }
        putS(item, "estimated_impact", a.estimatedImpact());
        if (a.ttl() != null) {
            item.put(TTL, number(BigDecimal.valueOf(a.ttl().getEpochSecond())));
        }
        putS(item, "target_url", a.targetUrl());
        putS(item, FINGERPRINT, a.fingerprint());
        item.put("occurrences", number(BigDecimal.valueOf(a.occurrences())));
        putTime(item, "last_seen", a.lastSeen());
        putS(item, "analyzer", a.analyzer() == null ? null : a.analyzer().wireName());
        putS(item, "plan", a.plan());
        putS(item, "plan_hash", a.planHash());
        item.put("approvals", AttributeValue.fromL(a.approvals().stream().map(AlertItemMapper::approval).toList()));
        item.put("required_approvals", number(BigDecimal.valueOf(a.requiredApprovals())));
        putS(item, "evidence_key", a.evidenceKey());
        putS(item, "runbook_id", a.runbookId());
        item.put(AUDIT, AttributeValue.fromL(a.audit().stream().map(AlertItemMapper::event).toList()));
        item.put(VERSION, number(BigDecimal.valueOf(a.version())));
        item.put(AUDIT_HEAD, AttributeValue.fromS(a.auditHead().wire()));
        putTime(item, "resolved_at", a.resolvedAt());
        putS(item, "resolution", a.resolution() == null ? null : a.resolution().wireName());
        if (a.refusedAttempts() > 0) {
            item.put(REFUSED_ATTEMPTS, number(BigDecimal.valueOf(a.refusedAttempts())));
        }
        putTime(item, LAST_REFUSED_AT, a.lastRefusedAt());
        return item;
    }

    static Alert fromItem(Map<String, AttributeValue> item) {
        Reader r = new Reader(item);
        String alertId = r.requiredS(ALERT_ID);
        try {
            AlertState state = AlertState.of(
                    ApprovalStatus.valueOf(r.requiredS(APPROVAL_STATUS)),
                    ExecutionStatus.valueOf(r.requiredS(EXECUTION_STATUS)));
            BigDecimal duration = r.n("execution_duration");
            BigDecimal ttl = r.n(TTL);
            return new Alert.Builder(
                    alertId,
                    Timestamps.parse(r.requiredS(TIMESTAMP)),
                    r.requiredS("domain"),
                    IssueType.valueOf(r.requiredS("issue_type")),
                    Severity.valueOf(r.requiredS("severity")),
                    r.requiredS("target_url"))
                    .errorDetails(r.s("error_details"))
                    .agentSessionId(r.s("agent_session_id"))
                    .agentAnalysis(r.s("agent_analysis"))
                    .s3AnalysisUrl(r.s("s3_analysis_url"))
                    .s3AnalysisKey(r.s("s3_analysis_key"))
                    .state(state)
                    .approvedBy(r.s("approved_by"))
                    .approvedAt(r.time("approved_at"))
                    .rejectionReason(r.s("rejection_reason"))
                    .executionLogUrl(r.s("execution_log_url"))
                    .executedAt(r.time("executed_at"))
                    .executionDuration(duration == null ? null
                            : Duration.ofMillis(duration.movePointRight(3).longValueExact()))
                    .affectedServices(r.list("affected_services", AttributeValue::s))
                    .estimatedImpact(r.s("estimated_impact"))
                    .ttl(ttl == null ? null : Instant.ofEpochSecond(ttl.longValueExact()))
                    .fingerprint(r.s(FINGERPRINT))
                    .occurrences(r.requiredN("occurrences").intValueExact())
                    .lastSeen(r.time("last_seen"))
                    .analyzer(r.s("analyzer") == null ? null : Analyzer.fromWire(r.s("analyzer")))
                    .plan(r.s("plan"))
                    .planHash(r.s("plan_hash"))
                    .approvals(r.list("approvals", v -> approval(v.m())))
                    .requiredApprovals(r.requiredN("required_approvals").intValueExact())
                    .evidenceKey(r.s("evidence_key"))
                    .runbookId(r.s("runbook_id"))
                    .audit(r.list(AUDIT, v -> event(v.m())))
                    .version(r.requiredN(VERSION).longValueExact())
                    .resolvedAt(r.time("resolved_at"))
                    .resolution(r.s("resolution") == null ? null : Resolution.fromWire(r.s("resolution")))
                    .refusedAttempts(r.n(REFUSED_ATTEMPTS) == null ? 0 : r.n(REFUSED_ATTEMPTS).intValueExact())
                    .lastRefusedAt(r.time(LAST_REFUSED_AT))
                    .build();
        } catch (RuntimeException e) {
            throw new CorruptItemException(alertId, e);
        }
    }

    static AttributeValue event(AuditEvent e) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        putS(m, "at", Timestamps.format(e.at()));
        putS(m, "action", e.action().name());
        putS(m, "actor", e.actor());
        m.put("verified", AttributeValue.fromBool(e.verified()));
        putS(m, "source_ip", e.sourceIp());
        putS(m, "user_agent", e.userAgent());
        putS(m, "result", e.result());
        putS(m, "detail", e.detail());
        putS(m, "previous", e.previous());
        return AttributeValue.fromM(m);
    }

    private static AuditEvent event(Map<String, AttributeValue> m) {
        Reader r = new Reader(m);
        return new AuditEvent(Timestamps.parse(r.requiredS("at")), AuditAction.valueOf(r.requiredS("action")),
                r.requiredS("actor"), r.bool("verified"), r.s("source_ip"), r.s("user_agent"),
                r.requiredS("result"), r.s("detail"), r.s("previous"));
    }

    private static AttributeValue approval(Approval a) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        putS(m, "by", a.by());
        putS(m, "subject", a.subject());
        putS(m, "role", a.role());
        m.put("verified", AttributeValue.fromBool(a.verified()));
        putS(m, "at", Timestamps.format(a.at()));
        putS(m, "comment", a.comment());
        putS(m, "plan_hash", a.planHash());
        putS(m, "policy_hash", a.policyHash());
        return AttributeValue.fromM(m);
    }

    private static Approval approval(Map<String, AttributeValue> m) {
        Reader r = new Reader(m);
        return new Approval(r.requiredS("by"), r.s("subject"), r.s("role"), r.bool("verified"),
                Timestamps.parse(r.requiredS("at")), r.s("comment"), r.s("plan_hash"), r.s("policy_hash"));
    }

    private static void putS(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static void putTime(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(Timestamps.format(value)));
        }
    }

    private static AttributeValue number(BigDecimal value) {
        return AttributeValue.fromN(value.toPlainString());
    }

    /** Reads typed values from an item, naming the attribute when one is missing or of the wrong type. */
    private record Reader(Map<String, AttributeValue> item) {

        String s(String name) {
            AttributeValue v = item.get(name);
            if (v == null || Boolean.TRUE.equals(v.nul())) {
                return null;
            }
            if (v.s() == null) {
                throw new IllegalArgumentException("attribute " + name + " is not a string");
            }
            return v.s();
        }

        String requiredS(String name) {
            String v = s(name);
            if (v == null) {
                throw new IllegalArgumentException("attribute " + name + " is missing");
            }
            return v;
        }

        BigDecimal n(String name) {
            AttributeValue v = item.get(name);
            if (v == null || Boolean.TRUE.equals(v.nul())) {
                return null;
            }
            if (v.n() == null) {
                throw new IllegalArgumentException("attribute " + name + " is not a number");
            }
            return new BigDecimal(v.n());
        }

        BigDecimal requiredN(String name) {
            BigDecimal v = n(name);
            if (v == null) {
                throw new IllegalArgumentException("attribute " + name + " is missing");
            }
            return v;
        }

        boolean bool(String name) {
            AttributeValue v = item.get(name);
            return v != null && Boolean.TRUE.equals(v.bool());
        }

        Instant time(String name) {
            String v = s(name);
            return v == null ? null : Timestamps.parse(v);
        }

        <T> List<T> list(String name, Function<AttributeValue, T> element) {
            AttributeValue v = item.get(name);
            if (v == null || !v.hasL()) {
                return List.of();
            }
            List<T> out = new ArrayList<>(v.l().size());
            for (AttributeValue e : v.l()) {
                out.add(element.apply(e));
            }
            return out;
        }
    }
}
