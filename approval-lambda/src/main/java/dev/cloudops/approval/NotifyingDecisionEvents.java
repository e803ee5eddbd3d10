package dev.cloudops.approval;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.logging.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends each recorded decision (and each expiry) to every notification channel, and logs it. */
public final class NotifyingDecisionEvents implements DecisionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyingDecisionEvents.class);

    private final NotificationDispatcher dispatcher;
    private final ReviewLinks links;

    public NotifyingDecisionEvents(NotificationDispatcher dispatcher, ReviewLinks links) {
        this.dispatcher = dispatcher;
        this.links = links;
    }

    @Override
    public void recorded(Decision decision) {
        Notification n = switch (decision) {
            case Decision.Approved a -> decided(a.alert(), a.retryNeeded() ? "approved (its execution could not be "
                    + "started yet)" : "approved");
            case Decision.PartiallyApproved p -> decided(p.alert(), "approved by 1 of " + p.alert().requiredApprovals()
                    + " (" + p.stillNeeded() + " more needed)");
            case Decision.Rejected r -> decided(r.alert(), "rejected");
            case Decision.Expired x -> new Notification.AlertExpired(Notification.AlertRef.of(x.alert()),
                    lastDetail(x.alert(), "Nobody decided in time."));
            default -> null;
        };
        if (n == null) {
            return;
        }
        try (var ignored = LogContext.alert(n.alert().alertId())) {
            LOG.info("decision recorded: {}", Notification.title(n));
        }
        dispatcher.dispatch(n);
    }

    private Notification decided(Alert alert, String what) {
        AuditEvent last = alert.audit().getLast();
        String comment = alert.state() == dev.cloudops.alert.AlertState.REJECTED ? alert.rejectionReason()
                : alert.approvals().isEmpty() ? null : alert.approvals().getLast().comment();
        return new Notification.DecisionRecorded(Notification.AlertRef.of(alert), what, last.actor(), last.verified(),
                comment, links.review(alert.alertId()));
    }

    private static String lastDetail(Alert alert, String fallback) {
        return alert.audit().isEmpty() || alert.audit().getLast().detail() == null ? fallback
                : alert.audit().getLast().detail();
    }
}
