package dev.cloudops.notify;

import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.plan.Risk;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** One notification of every kind, for formatter tests. */
final class NotificationFixtures {

    static final Notification.AlertRef REF = new Notification.AlertRef("01JALERT", "shop.example.com",
            IssueType.HTTP_ERROR, Severity.CRITICAL, "https://shop.example.com/");
    static final URI REVIEW = URI.create("https://review.example.com/alerts/01JALERT?t=abc.def");
    static final URI REPORT = URI.create("https://artifacts.example.com/analyses/x.md?X-Amz-Signature=1");

    private NotificationFixtures() {
    }

    static Notification.AlertRaised raised(String summary) {
        return new Notification.AlertRaised(REF, "The CloudFront distribution is disabled.", summary,
                new Notification.PlanOutline(List.of("cloudfront.set_enabled E2QWRUHAPOMQZL -> true"), Risk.MEDIUM, true),
                8, Analyzer.RULES, REVIEW, REPORT, false);
    }

    static List<Notification> everyKind() {
        return List.of(
                raised("Distribution E2QWRUHAPOMQZL that serves the site is disabled."),
                new Notification.AlertRaised(REF, "Not diagnosed", "Analysis is late; this alert is sent without it.",
                        null, 0, null, REVIEW, null, false),
                new Notification.AlertRaised(REF, "The CloudFront distribution is disabled.", "Now analysed.",
                        new Notification.PlanOutline(List.of(), Risk.LOW, false), null, Analyzer.BEDROCK, REVIEW,
                        REPORT, true),
                new Notification.DecisionRecorded(REF, "approved", "alice@example.com", true, "go ahead", REVIEW),
                new Notification.DecisionRecorded(REF, "rejected", "bob", false, null, REVIEW),
                new Notification.ExecutionFinished(REF, ExecutionStatus.COMPLETED, 1, 1, Duration.ofMillis(12_345),
                        false, URI.create("https://artifacts.example.com/executions/x.md"), "The site is healthy again."),
                new Notification.ExecutionFinished(REF, ExecutionStatus.ROLLED_BACK, 2, 3, Duration.ofSeconds(40), true,
                        null, "Step S2 failed: PreconditionFailed; step S1 was undone."),
                new Notification.ExecutionDeferred(REF, "The execution window for high alerts is closed.",
                        java.time.Instant.parse("2026-11-28T06:00:00Z")),
                new Notification.AlertRecovered(REF, "The target is healthy again: HTTP 200 in 80 ms"),
                new Notification.AlertExpired(REF, "Nobody decided within 24 h"));
    }
}
