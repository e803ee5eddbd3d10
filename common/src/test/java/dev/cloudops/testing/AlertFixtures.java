package dev.cloudops.testing;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Resolution;
import dev.cloudops.alert.Severity;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Alerts in known states for tests, built through the real lifecycle methods. */
public final class AlertFixtures {

    public static final Instant DETECTED_AT = Instant.parse("2026-11-27T02:24:37.120Z");
    public static final Actor MONITOR = Actor.system("monitor");

    private AlertFixtures() {
    }

    public static Alert detected(String alertId) {
        return detected(alertId, "www.example.com", IssueType.HTTP_ERROR, DETECTED_AT);
    }

    public static Alert detected(String alertId, String host, IssueType issueType, Instant at) {
        return Alert.detect(alertId, at, URI.create("https://" + host + "/health"), issueType, Severity.HIGH,
                "HTTP 503 from CloudFront (x-cache: Error from cloudfront)", MONITOR);
    }

    public static Analysis analysis(int requiredApprovals) {
        return new Analysis(Analyzer.RULES, "session-1", "The origin bucket policy denies CloudFront.",
                "analyses/2026-11-27/www.example.com/02-24-37-A.md", "https://reports.example/A",
                "evidence/2026-11-27/www.example.com/02-24-37-A.json",
                "{\"steps\":[]}", "a".repeat(64), requiredApprovals, List.of("CloudFront", "S3"),
                "All visitors see errors", null);
    }

    public static Alert pending(String alertId) {
        return pending(detected(alertId), 1);
    }

    public static Alert pending(Alert detected, int requiredApprovals) {
        return detected.analyze(analysis(requiredApprovals), Actor.system("rules"), detected.timestamp().plusSeconds(5))
                .after();
    }

    public static Alert approved(String alertId) {
        Alert pending = pending(alertId);
        return pending.approve(person("alice"), "sub-alice", "ops-lead", "go", pending.planHash(), pending.timestamp().plusSeconds(60)).after();
    }

    public static Actor person(String name) {
        return new Actor(name, true, "203.0.113.7", "Mozilla/5.0");
    }

    /** An alert with every field set, for round trips through a store. */
    public static Alert fullyPopulated(String alertId) {
        Instant t = DETECTED_AT;
        return new Alert.Builder(alertId, t, "www.example.com", IssueType.CERT_EXPIRING, Severity.CRITICAL,
                "https://www.example.com/")
                .errorDetails("certificate expires in 5 days")
                .agentSessionId("session-42")
                .agentAnalysis("The ACM certificate is not renewing because the validation record is missing.")
                .s3AnalysisUrl("https://bucket.s3.amazonaws.com/analyses/x.md?X-Amz-Signature=abc")
                .s3AnalysisKey("analyses/2026-11-27/www.example.com/02-24-37-" + alertId + ".md")
                .state(AlertState.COMPLETED)
                .approvedBy("alice, bob")
                .approvedAt(t.plusSeconds(600))
                .rejectionReason("not applicable but stored")
                .executionLogUrl("https://bucket.s3.amazonaws.com/executions/x.md")
                .executedAt(t.plusSeconds(700))
                .executionDuration(Duration.ofMillis(12_345))
                .affectedServices(List.of("ACM", "CloudFront"))
                .estimatedImpact("Browsers will refuse the site in 5 days")
                .ttl(t.plus(Duration.ofDays(7)))
                .occurrences(3)
                .lastSeen(t.plusSeconds(300))
                .analyzer(Analyzer.RUNBOOK)
                .plan("{\"steps\":[{\"action\":\"route53.upsert_record\"}]}")
                .planHash("0".repeat(64))
                .approvals(List.of(
                        new Approval("alice", "sub-alice", "admin", true, t.plusSeconds(500), "ok", "0".repeat(64)),
                        new Approval("bob", null, "ops-lead", false, t.plusSeconds(600), null, null)))
                .requiredApprovals(2)
                .evidenceKey("evidence/2026-11-27/www.example.com/02-24-37-" + alertId + ".json")
                .audit(List.of(
                        new AuditEvent(t, AuditAction.DETECTED, "monitor", true, null, null, "DETECTED", "found"),
                        new AuditEvent(t.plusSeconds(500), AuditAction.APPROVAL_RECORDED, "alice", true,
                                "203.0.113.7", "Mozilla/5.0", "approval 1 of 2", "ok")))
                .version(7)
                .resolvedAt(t.plusSeconds(720))
                .resolution(Resolution.REMEDIATED)
                .refusedAttempts(3)
                .lastRefusedAt(t.plusSeconds(420))
                .runbookId("rb-" + "e".repeat(32))
                .build();
    }
}
