package dev.cloudops.notify.email;

import dev.cloudops.notify.Notification;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A notification as a plain-text email: a subject within SNS's 100 characters, and a body with summary and
 * links. {@code links} are our own links in the body (review page, report, execution log): the only text an
 * HTML rendering may make clickable, never a URL someone typed into a comment or a site put in its answer.
 */
public record EmailMessage(String subject, String body, List<String> links) {

    public EmailMessage {
        links = List.copyOf(links);
    }

    public static final int MAX_SUBJECT = 100;

    public static EmailMessage from(Notification n) {
        String subject = "[cloudops] " + Notification.title(n);
        // SNS subjects: ASCII, no line breaks, at most 100 characters.
        subject = subject.replaceAll("[\\r\\n]+", " ").replaceAll("[^\\x20-\\x7E]", "?");
        if (subject.length() > MAX_SUBJECT) {
            subject = subject.substring(0, MAX_SUBJECT - 3) + "...";
        }
        StringBuilder body = new StringBuilder(Notification.title(n)).append("\n\n");
        List<String> links = new ArrayList<>();
        line(body, "Alert", n.alert().alertId());
        line(body, "Severity", n.alert().severity().name().toLowerCase(Locale.ROOT));
        line(body, "Domain", n.alert().domain());
        line(body, "Issue", n.alert().issueType().name());
        line(body, "URL", n.alert().targetUrl());
        body.append('\n');
        switch (n) {
            case Notification.AlertRaised r -> {
                body.append(nullToEmpty(r.rootCause())).append("\n\n").append(nullToEmpty(r.summary())).append("\n\n");
                if (r.plan() != null) {
                    body.append(r.plan().executable() ? "Plan (risk " + r.plan().risk().name().toLowerCase(Locale.ROOT)
                            + "; nothing runs until a person approves it):\n" : "No executable plan; for a person:\n");
                    int i = 1;
                    for (String step : r.plan().steps()) {
                        body.append("  ").append(i++).append(". ").append(step).append('\n');
                    }
                    body.append('\n');
                }
                link(body, links, "Review and decide", r.reviewLink());
                link(body, links, "Full analysis", r.reportLink());
            }
            case Notification.DecisionRecorded d -> {
                line(body, "Decision", d.decision());
                line(body, "By", d.decidedBy() + (d.verified() ? " (verified)" : " (not verified)"));
                line(body, "Comment", d.comment());
                link(body, links, "Alert page", d.reviewLink());
            }
            case Notification.ExecutionFinished e -> {
                line(body, "Status", e.status().name());
                line(body, "Steps", e.stepsDone() + " of " + e.stepsTotal());
                line(body, "Duration", e.duration().toMillis() / 1000.0 + " s");
                line(body, "Rolled back", e.rolledBack() ? "yes" : "no");
                line(body, "Detail", e.detail());
                link(body, links, "Execution log", e.logLink());
            }
            case Notification.ExecutionDeferred d -> {
                line(body, "Runs at", Timestamps.forPeople(d.at()));
                line(body, "Reason", d.reason());
            }
            case Notification.ActionNeeded x -> {
                body.append(nullToEmpty(x.detail())).append("\n\nFor a person:\n");
                int i = 1;
                for (String step : x.steps()) {
                    body.append(i++).append(". ").append(step).append('\n');
                }
                line(body, "Execution log", x.logLink() == null ? null : x.logLink().toString());
            }
            case Notification.AlertRecovered r -> body.append(nullToEmpty(r.detail())).append('\n');
            case Notification.AlertExpired x -> body.append(nullToEmpty(x.reason())).append('\n');
        }
        return new EmailMessage(subject, body.toString(), links);
    }

    private static void line(StringBuilder body, String name, String value) {
        if (value != null && !value.isBlank()) {
            body.append(name).append(": ").append(value).append('\n');
        }
    }

    private static void link(StringBuilder body, List<String> links, String name, URI link) {
        if (link != null) {
            line(body, name, link.toString());
            links.add(link.toString());
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
