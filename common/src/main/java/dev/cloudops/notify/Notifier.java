package dev.cloudops.notify;

/** One channel (Teams, Slack, email). Sending never throws: the outcome says what happened. */
public interface Notifier {

    String channel();

    Delivery send(Notification notification);
}
