package dev.cloudops.agent;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import java.time.Instant;

/** What an analyser is told about a confirmed failure: the alert's facts, as the probe saw them. */
public record Incident(String alertId, String url, String host, IssueType issueType, Severity severity,
        String errorDetails, Instant detectedAt, int occurrences) {

    public static Incident of(Alert alert) {
        return new Incident(alert.alertId(), alert.targetUrl(), alert.domain(), alert.issueType(), alert.severity(),
                alert.errorDetails() == null ? "" : alert.errorDetails(), alert.timestamp(), alert.occurrences());
    }
}
