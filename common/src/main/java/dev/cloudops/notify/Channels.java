package dev.cloudops.notify;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.notify.email.SesEmailNotifier;
import dev.cloudops.notify.email.SnsEmailNotifier;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The notifiers every function builds from its {@link NotificationSettings}: one per configured channel. */
public final class Channels {

    private Channels() {
    }

    /**
     * One notifier per configured channel (none when nothing is configured); webhook URLs are read through
     * {@code secrets} (secret ARN to value) while the function initialises and are never logged.
     */
    public static List<Notifier> configured(NotificationSettings n, AwsClients clients, UnaryOperator<String> secrets) {
        List<Notifier> notifiers = new ArrayList<>();
        if (!n.anyChannel()) {
            return notifiers;
        }
        WebhookClient webhooks = new WebhookClient(Duration.ofSeconds(10), 4, Duration.ofMillis(500),
                Duration.ofSeconds(20));
        n.teamsWebhookSecretArn().ifPresent(arn -> notifiers.add(WebhookNotifier.teams(webhooks,
                URI.create(secrets.apply(arn)))));
        n.slackWebhookSecretArn().ifPresent(arn -> notifiers.add(WebhookNotifier.slack(webhooks,
                URI.create(secrets.apply(arn)))));
        n.emailTopicArn().ifPresent(arn -> notifiers.add(new SnsEmailNotifier(clients.sns(), arn)));
        n.sesFrom().ifPresent(from -> notifiers.add(new SesEmailNotifier(clients.sesV2(), from, n.sesTo())));
        return notifiers;
    }
}
