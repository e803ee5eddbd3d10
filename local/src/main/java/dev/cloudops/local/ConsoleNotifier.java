package dev.cloudops.local;

import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.Notifier;
import java.io.PrintStream;

/** Prints each notification's title and link on the console: the local runner's always-on channel. */
final class ConsoleNotifier implements Notifier {

    private final PrintStream out;

    ConsoleNotifier(PrintStream out) {
        this.out = out;
    }

    @Override
    public String channel() {
        return "console";
    }

    @Override
    public Delivery send(Notification n) {
        String link = switch (n) {
            case Notification.AlertRaised r -> r.reviewLink() == null ? "" : "\n    review: " + r.reviewLink();
            case Notification.DecisionRecorded d -> " by " + d.decidedBy();
            case Notification.ExecutionFinished e -> "\n    " + e.detail()
                    + (e.logLink() == null ? "" : "\n    log: " + e.logLink());
            case Notification.ExecutionDeferred d -> " until " + d.at() + ": " + d.reason();
            case Notification.ActionNeeded x -> "\n    " + x.detail() + "\n    for a person: "
                    + String.join(" / ", x.steps()) + (x.logLink() == null ? "" : "\n    log: " + x.logLink());
            case Notification.AlertRecovered r -> "";
            case Notification.AlertExpired x -> ": " + x.reason();
        };
        synchronized (out) {
            out.println("[" + n.alert().alertId() + "] " + Notification.title(n) + link);
            out.flush();
        }
        return new Delivery.Delivered(channel(), 1);
    }
}
