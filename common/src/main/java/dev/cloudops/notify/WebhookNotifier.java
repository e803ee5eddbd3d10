package dev.cloudops.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.notify.slack.SlackMessage;
import dev.cloudops.notify.teams.TeamsCard;
import java.net.URI;
import java.util.function.Function;

/** A channel that posts JSON to a webhook: Teams (Adaptive Card) or Slack (Block Kit). */
public final class WebhookNotifier implements Notifier {

    private final String channel;
    private final WebhookClient client;
    private final URI webhook;
    private final Function<Notification, JsonNode> format;

    private WebhookNotifier(String channel, WebhookClient client, URI webhook, Function<Notification, JsonNode> format) {
        this.channel = channel;
        this.client = client;
        this.webhook = webhook;
        this.format = format;
    }

    /** Adaptive Cards to a Teams Workflows webhook. */
    public static WebhookNotifier teams(WebhookClient client, URI webhook) {
        return new WebhookNotifier("teams", client, webhook, TeamsCard::from);
    }

    /** Block Kit messages to a Slack incoming webhook. */
    public static WebhookNotifier slack(WebhookClient client, URI webhook) {
        return new WebhookNotifier("slack", client, webhook, SlackMessage::from);
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public Delivery send(Notification notification) {
        return client.post(channel, webhook, format.apply(notification));
    }
}
