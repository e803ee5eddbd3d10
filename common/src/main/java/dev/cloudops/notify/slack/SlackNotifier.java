package dev.cloudops.notify.slack;

import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.Notifier;
import dev.cloudops.notify.WebhookClient;
import java.net.URI;

/** Posts notifications in Block Kit to a Slack incoming webhook. */
public final class SlackNotifier implements Notifier {

    private final WebhookClient client;
    private final URI webhook;

    public SlackNotifier(WebhookClient client, URI webhook) {
        this.client = client;
        this.webhook = webhook;
    }

    @Override
    public String channel() {
        return "slack";
    }

    @Override
    public Delivery send(Notification notification) {
        return client.post(channel(), webhook, SlackMessage.from(notification));
    }
}
