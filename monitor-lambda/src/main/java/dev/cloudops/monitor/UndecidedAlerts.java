package dev.cloudops.monitor;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.Page;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The scheduled run's housekeeping of alerts waiting for a decision: expires those left undecided past
 * the decision window and reports how many are waiting. Separate because it concerns the approval
 * backlog, not the targets probed in the run.
 */
final class UndecidedAlerts {

    private static final int EXPIRY_BATCH = 25;
    /** PendingApprovals counts at most this many pages of 100; a larger backlog is reported as this bound. */
    private static final int PENDING_PAGES = 10;

    private final AlertRepository alerts;
    private final MonitorEvents events;
    private final Clock clock;
    private final Duration decisionWindow;
    private final Metrics metrics;

    UndecidedAlerts(AlertRepository alerts, MonitorEvents events, Clock clock, Duration decisionWindow,
            Metrics metrics) {
        this.alerts = alerts;
        this.events = events;
        this.clock = clock;
        this.decisionWindow = decisionWindow;
        this.metrics = metrics;
    }

    /** Alerts nobody decided on within the decision window become EXPIRED (a batch per scheduled run). */
    void expireUndecided(Actor actor) {
        Instant now = clock.instant();
        for (Alert stale : alerts.listByStatusBefore(ApprovalStatus.PENDING_APPROVAL, now.minus(decisionWindow),
                EXPIRY_BATCH)) {
            expire(stale, actor, now);
        }
    }

    /**
     * Expires one alert nobody decided on (it must be PENDING_APPROVAL) and tells people; the alert as it
     * stands afterwards (as a concurrent change left it, when that won).
     */
    Alert expire(Alert stale, Actor actor, Instant now) {
        TransitionResult result = alerts.apply(stale.expire(actor, "nobody decided within "
                + decisionWindow.toHours() + " h", now));
        return switch (result) {
            case TransitionResult.Applied applied -> {
                metrics.put(Metric.sample(MetricName.FALSE_POSITIVE_RATE, false).severity(stale.severity())
                        .alert(stale.alertId()));
                events.expired(applied.alert());
                yield applied.alert();
            }
            case TransitionResult.Conflict conflict -> conflict.current();
            case TransitionResult.NotFound missing -> stale;
        };
    }

    /** When the decision window of an alert closes: its window after the alert was raised. */
    Instant decisionDeadline(Alert alert) {
        return alert.timestamp().plus(decisionWindow);
    }

    /** The PendingApprovals gauge: the alerts waiting for a decision now. */
    void reportPending() {
        int count = 0;
        String cursor = null;
        int pages = 0;
        do {
            Page<Alert> page = alerts.listByStatus(ApprovalStatus.PENDING_APPROVAL, 100, cursor);
            count += page.items().size();
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null && ++pages < PENDING_PAGES);
        metrics.put(Metric.of(MetricName.PENDING_APPROVALS, count));
    }
}
