package dev.cloudops.notify;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.cloudops.logging.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a notification on every configured channel at once, each on its own, and records each
 * outcome on the alert's audit trail. A failing channel never blocks the others or fails the caller.
 */
public final class NotificationDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
    private static final Actor NOTIFIER = Actor.system("notifier");

    private final List<Notifier> notifiers;
    private final AlertRepository alerts;
    private final Clock clock;

    public NotificationDispatcher(List<Notifier> notifiers, AlertRepository alerts, Clock clock) {
        this.notifiers = List.copyOf(notifiers);
        this.alerts = alerts;
        this.clock = clock;
    }

    public List<Delivery> dispatch(Notification notification) {
        List<Delivery> deliveries = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             var ignored = LogContext.alert(notification.alert().alertId())) {
            List<Future<Delivery>> sends = new ArrayList<>();
            for (Notifier n : notifiers) {
                sends.add(pool.submit(() -> safeSend(n, notification)));
            }
            for (int i = 0; i < sends.size(); i++) {
                Delivery d;
                try {
                    d = sends.get(i).get();
                } catch (ExecutionException e) {
                    d = new Delivery.Failed(notifiers.get(i).channel(), 0, String.valueOf(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    d = new Delivery.Failed(notifiers.get(i).channel(), 0, "interrupted");
                }
                deliveries.add(d);
                record(notification, d);
            }
        }
        return deliveries;
    }

    private static Delivery safeSend(Notifier notifier, Notification notification) {
        try {
            return notifier.send(notification);
        } catch (RuntimeException e) {
            return new Delivery.Failed(notifier.channel(), 0, e.getClass().getSimpleName());
        }
    }

    private void record(Notification notification, Delivery delivery) {
        String what = Notification.title(notification);
        AuditEvent event = switch (delivery) {
            case Delivery.Delivered d -> AuditEvent.of(clock.instant(), AuditAction.NOTIFIED, NOTIFIER,
                    "delivered", d.channel() + ": " + what + " (attempt " + d.attempts() + ")");
            case Delivery.Failed f -> AuditEvent.of(clock.instant(), AuditAction.NOTIFICATION_FAILED, NOTIFIER,
                    "failed", f.channel() + ": " + what + ": " + f.reason());
        };
        if (delivery instanceof Delivery.Failed f) {
            LOG.warn("notification on {} failed: {}", f.channel(), f.reason());
        }
        try {
            if (!alerts.appendEvent(notification.alert().alertId(), event)) {
                LOG.warn("the alert is gone; the {} outcome was not recorded", delivery.channel());
            }
        } catch (RuntimeException e) {
            LOG.error("could not record the {} outcome on the alert", delivery.channel(), e);
        }
    }
}
