package dev.cloudops.trace;

import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.Notifier;
import java.util.List;
import java.util.Objects;

/** A channel whose every send is a {@code notify <channel>} subsegment, marked as an error when it was not delivered. */
public final class TracedNotifier implements Notifier {

    private final Notifier notifier;
    private final Tracing tracing;

    public TracedNotifier(Notifier notifier, Tracing tracing) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    /** Each of the channels, traced. */
    public static List<Notifier> all(List<Notifier> notifiers, Tracing tracing) {
        return notifiers.stream().<Notifier>map(n -> new TracedNotifier(n, tracing)).toList();
    }

    @Override
    public String channel() {
        return notifier.channel();
    }

    @Override
    public Delivery send(Notification notification) {
        return tracing.subsegment("notify " + notifier.channel(), span -> {
            span.annotate("alert_id", notification.alert().alertId()).annotate("domain", notification.alert().domain())
                    .annotate("channel", notifier.channel());
            Delivery delivery = notifier.send(notification);
            span.annotate("delivered", delivery instanceof Delivery.Delivered);
            if (delivery instanceof Delivery.Failed) {
                span.markError();
            }
            return delivery;
        });
    }
}
