package dev.cloudops.notify;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Risk;
import dev.cloudops.text.PlainText;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One event worth telling people about, formatted per channel ({@code TeamsCard}, {@code SlackMessage},
 * {@code EmailMessage}). Its text is plain text, kept without control or invisible format characters
 * ({@link PlainText}); each channel shows it as such, never as its own markup.
 */
public sealed interface Notification {

    /** Which alert it is about. */
    AlertRef alert();

    /** The alert's identity as every notification shows it. */
    record AlertRef(String alertId, String domain, IssueType issueType, Severity severity, String targetUrl) {
        public AlertRef {
            Objects.requireNonNull(alertId, "alertId");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(issueType, "issueType");
            Objects.requireNonNull(severity, "severity");
            domain = PlainText.shown(domain);
            targetUrl = PlainText.shown(targetUrl);
        }

        public static AlertRef of(Alert a) {
            return new AlertRef(a.alertId(), a.domain(), a.issueType(), a.severity(), a.targetUrl());
        }
    }

    /** The plan in a few lines: its steps as people read them, the highest risk, and whether anything would run. */
    record PlanOutline(List<String> steps, Risk risk, boolean executable) {

        private static final int MAX_STEP_TEXT = 160;

        public PlanOutline {
            steps = steps.stream().map(PlainText::shown).toList();
        }

        /**
         * The alert's stored plan in a few lines; an analysed alert without one says there is nothing to run,
         * and null stands for "no analysis yet" or an unreadable plan.
         */
        public static PlanOutline of(Alert a) {
            if (a.plan() == null) {
                return a.analyzer() == null ? null : new PlanOutline(List.of(), Risk.LOW, false);
            }
            if (!(PlanJson.parse(a.plan()) instanceof PlanParse.Valid valid)) {
                return null;
            }
            List<String> steps = valid.plan().steps().stream().map(PlanOutline::describe).toList();
            return new PlanOutline(steps, valid.plan().risk(), valid.plan().executable());
        }

        private static String describe(PlanStep step) {
            String text = step.action().name() + " " + PlanJson.toJson(new Plan(null, List.of(step)))
                    .at("/steps/0/parameters");
            return text.length() <= MAX_STEP_TEXT ? text : text.substring(0, MAX_STEP_TEXT - 1) + "…";
        }
    }

    /**
     * A new alert, analysed — or not yet, when analysis is late: then {@code summary} says so, and a
     * {@code followUp} with the analysis comes when it arrives.
     */
    record AlertRaised(AlertRef alert, String rootCause, String summary, PlanOutline plan, Integer evidenceCount,
            Analyzer analyzer, URI reviewLink, URI reportLink, boolean followUp) implements Notification {
        public AlertRaised {
            rootCause = PlainText.shown(rootCause);
            summary = PlainText.shown(summary);
        }
    }

    record DecisionRecorded(AlertRef alert, String decision, String decidedBy, boolean verified, String comment,
            URI reviewLink) implements Notification {
        public DecisionRecorded {
            decidedBy = PlainText.shown(decidedBy);
            comment = PlainText.shown(comment);
        }
    }

    /** How an execution ended; {@code detail} says why in a sentence (the reason of a refusal, what rolled back). */
    record ExecutionFinished(AlertRef alert, ExecutionStatus status, int stepsDone, int stepsTotal, Duration duration,
            boolean rolledBack, URI logLink, String detail) implements Notification {
        public ExecutionFinished {
            detail = PlainText.shown(detail);
        }
    }

    /** An approved plan waits: its execution window is closed, or a limit or lock holds it; it runs {@code at}. */
    record ExecutionDeferred(AlertRef alert, String reason, java.time.Instant at) implements Notification {
        public ExecutionDeferred {
            reason = PlainText.shown(reason);
        }
    }

    /**
     * An approved plan of steps for a person only: nothing ran, the target still fails, and these are the
     * steps to take; the alert stays open until the target is healthy again.
     */
    record ActionNeeded(AlertRef alert, List<String> steps, URI logLink, String detail) implements Notification {
        public ActionNeeded {
            steps = steps.stream().map(PlainText::shown).toList();
            detail = PlainText.shown(detail);
        }
    }

    record AlertRecovered(AlertRef alert, String detail) implements Notification {
        public AlertRecovered {
            detail = PlainText.shown(detail);
        }
    }

    record AlertExpired(AlertRef alert, String reason) implements Notification {
        public AlertExpired {
            reason = PlainText.shown(reason);
        }
    }

    /** A one-line title, the same on every channel. */
    static String title(Notification n) {
        AlertRef a = n.alert();
        return switch (n) {
            case AlertRaised r -> (r.followUp() ? "Analysis ready: " : "") + a.severity() + ": " + a.issueType()
                    + " on " + a.domain();
            case DecisionRecorded d -> "Plan " + d.decision() + " for " + a.issueType() + " on " + a.domain();
            case ExecutionFinished e -> "Remediation " + e.status() + " for " + a.issueType() + " on " + a.domain();
            case ExecutionDeferred d -> "Remediation deferred for " + a.issueType() + " on " + a.domain();
            case ActionNeeded x -> "Action needed: " + a.issueType() + " on " + a.domain();
            case AlertRecovered r -> "Recovered: " + a.issueType() + " on " + a.domain();
            case AlertExpired x -> "Expired: " + a.issueType() + " on " + a.domain();
        };
    }
}
