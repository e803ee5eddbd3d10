package dev.cloudops.approval;

import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.approval.sns.SnsExecutionTrigger;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.notify.Channels;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** The approval function's composition root: plain constructors, no container. */
final class ApprovalWiring {

    private ApprovalWiring() {
    }

    static ReviewPortal portal(ApprovalConfig config, AwsClients clients, Clock clock) {
        DynamoDbAlertRepository alerts = new DynamoDbAlertRepository(clients.dynamoDb(), config.storage().alertsTable(),
                config.storage().alertRetention());
        S3ArtifactStore artifacts = new S3ArtifactStore(clients.s3(), clients.s3Presigner(),
                config.storage().artifactsBucket(), config.storage().linkExpiry(), config.storage().artifactsKmsKeyId());
        ReviewToken tokens = new ReviewToken(clients.secret(config.signingKeySecretArn()).getBytes(StandardCharsets.UTF_8),
                clock);
        DecisionRecorder recorder = new DecisionRecorder(alerts, config.policy(),
                new SnsExecutionTrigger(clients.sns(), config.executeTopicArn()), clock, config.decisionWindow(),
                events(config.notifications(), clients, alerts, tokens, clock));
        return new ReviewPortal(alerts, artifacts, recorder, new Authenticator(config.authMode(), tokens),
                new CsrfTokens(tokens, config.csrfValidity()), new Pages(), clock);
    }

    /** Decision notifications on every configured channel; none when no channel is configured. */
    private static DecisionEvents events(NotificationSettings n, AwsClients clients, DynamoDbAlertRepository alerts,
            ReviewToken tokens, Clock clock) {
        List<Notifier> notifiers = Channels.configured(n, clients, clients::secret);
        if (notifiers.isEmpty()) {
            return DecisionEvents.NONE;
        }
        return new NotifyingDecisionEvents(new NotificationDispatcher(notifiers, alerts, clock),
                new ReviewLinks(n.reviewBaseUrl().orElseThrow(), tokens, n.linkValidity()));
    }
}
