package dev.cloudops.notify.teams;

import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.Notifier;
import dev.cloudops.notify.WebhookClient;
import java.net.URI;

/** Posts notifications as Adaptive Cards to a Teams Workflows webhook. */
public final class TeamsNotifier implements Notifier {

    private final WebhookClient client;
    private final URI webhook;

    public TeamsNotifier(WebhookClient client, URI webhook) {
        this.client = client;
        this.webhook = webhook;
    }

    @Override
    public String channel() {
        return "teams";
    }

    @Override
    public Delivery send(Notification notification) {
        return client.post(channel(), webhook, TeamsCard.from(notification));
    }
}
