package dev.cloudops.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where notifications go and how review links are made: Teams and Slack webhook URLs and the review-link
 * signing key come from Secrets Manager (ARNs here, never the secrets), email goes to an SNS topic and,
 * when a verified sender is set, as HTML through SES. With no channel set, nothing is sent.
 */
public record NotificationSettings(
        Optional<String> teamsWebhookSecretArn,
        Optional<String> slackWebhookSecretArn,
        Optional<String> emailTopicArn,
        Optional<String> sesFrom,
        List<String> sesTo,
        Optional<URI> reviewBaseUrl,
        Optional<String> signingKeySecretArn,
        Duration linkValidity) {

    public NotificationSettings {
        sesTo = List.copyOf(sesTo);
    }

    public boolean anyChannel() {
        return teamsWebhookSecretArn.isPresent() || slackWebhookSecretArn.isPresent() || emailTopicArn.isPresent()
                || sesFrom.isPresent();
    }

    public static NotificationSettings read(ConfigReader reader) {
        Optional<String> teams = arn(reader, "NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", "secretsmanager", "Secrets Manager secret");
        Optional<String> slack = arn(reader, "NOTIFY_SLACK_WEBHOOK_SECRET_ARN", "secretsmanager", "Secrets Manager secret");
        Optional<String> email = arn(reader, "NOTIFY_EMAIL_TOPIC_ARN", "sns", "SNS topic");
        Optional<String> sesFrom = reader.optional("NOTIFY_SES_FROM");
        List<String> sesTo = reader.optional("NOTIFY_SES_TO").map(v -> List.of(v.split("\\s*,\\s*")))
                .orElse(List.of());
        if (sesFrom.isPresent() != !sesTo.isEmpty()) {
            reader.problem("set NOTIFY_SES_FROM (a verified sender) and NOTIFY_SES_TO (addresses) together");
        }
        for (String address : sesFrom.map(f -> java.util.stream.Stream.concat(java.util.stream.Stream.of(f),
                sesTo.stream()).toList()).orElse(sesTo)) {
            if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                reader.problem("'" + address + "' is not an email address");
            }
        }
        Optional<URI> base = reader.optionalUri("REVIEW_BASE_URL");
        Optional<String> key = arn(reader, "REVIEW_SIGNING_SECRET_ARN", "secretsmanager", "Secrets Manager secret");
        Duration validity = reader.duration("REVIEW_LINK_TTL", Duration.ofHours(24), Duration.ofMinutes(5),
                Duration.ofDays(7));
        boolean any = teams.isPresent() || slack.isPresent() || email.isPresent() || sesFrom.isPresent();
        if (any && (base.isEmpty() || key.isEmpty())) {
            reader.problem("notifications need REVIEW_BASE_URL and REVIEW_SIGNING_SECRET_ARN for their review links");
        }
        return new NotificationSettings(teams, slack, email, sesFrom, sesTo, base, key, validity);
    }

    private static Optional<String> arn(ConfigReader reader, String name, String service, String what) {
        Optional<String> value = reader.optional(name);
        if (value.isPresent() && !value.get().matches("arn:aws[a-z-]*:" + service + ":[a-z0-9-]+:\\d{12}:.+")) {
            reader.problem(name + " must be the ARN of a " + what + ", was '" + value.get() + "'");
            return Optional.empty();
        }
        return value;
    }
}
