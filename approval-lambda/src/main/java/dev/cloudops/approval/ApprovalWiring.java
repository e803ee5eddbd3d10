package dev.cloudops.approval;

import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.approval.sns.SnsExecutionTrigger;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.audit.AuditingAlertRepository;
import dev.cloudops.audit.logs.CloudWatchLogsAuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.metrics.emf.EmfMetrics;
import dev.cloudops.notify.Channels;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.trace.TracedAlertRepository;
import dev.cloudops.trace.TracedArtifactStore;
import dev.cloudops.trace.TracedNotifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * The approval function's composition root: plain constructors, no container. The stores and the channels are
 * traced decorators, so each step is a subsegment of the invocation's trace.
 */
final class ApprovalWiring {

    private ApprovalWiring() {
    }

    /** The use case, and the audit log the handler flushes after each request. */
    record Wired(ReviewPortal portal, AuditTrail audit) {
    }

    /** Metrics as EMF lines on stdout. */
    static Wired wire(ApprovalConfig config, AwsClients clients, Clock clock) {
        return wire(config, clients, EmfMetrics.toStdout(config.telemetry().metricsNamespace(), "approval", clock),
                clock);
    }

    static Wired wire(ApprovalConfig config, AwsClients clients, Metrics metrics, Clock clock) {
        AuditTrail audit = config.telemetry().auditLogGroup().<AuditTrail>map(
                group -> new CloudWatchLogsAuditTrail(clients.logs(), group, "approval", clock)).orElse(AuditTrail.NONE);
        return new Wired(portal(config, clients, audit, metrics, clock), audit);
    }

    /** The portal alone, for tests that drive it without a handler. */
    static ReviewPortal portal(ApprovalConfig config, AwsClients clients, Clock clock) {
        return wire(config, clients, clock).portal();
    }

    private static ReviewPortal portal(ApprovalConfig config, AwsClients clients, AuditTrail audit, Metrics metrics,
            Clock clock) {
        AlertRepository alerts = new TracedAlertRepository(new AuditingAlertRepository(new DynamoDbAlertRepository(
                clients.dynamoDb(), config.storage().alertsTable(), config.storage().alertRetention()), audit),
                clients.tracing());
        ArtifactStore artifacts = new TracedArtifactStore(new S3ArtifactStore(clients.s3(), clients.s3Presigner(),
                config.storage().artifactsBucket(), config.storage().linkExpiry(), config.storage().artifactsKmsKeyId()),
                clients.tracing());
        ReviewToken tokens = new ReviewToken(clients.secret(config.signingKeySecretArn()).getBytes(StandardCharsets.UTF_8),
                clock);
        DecisionRecorder recorder = new DecisionRecorder(alerts, config.policy(),
                new SnsExecutionTrigger(clients.sns(), config.executeTopicArn()), clock, config.decisionWindow(),
                events(config.notifications(), clients, alerts, tokens, clock), metrics);
        return new ReviewPortal(alerts, artifacts, recorder, new Authenticator(config.authMode(), tokens),
                new CsrfTokens(tokens, config.csrfValidity()), new Pages(), clock);
    }

    /** Decision notifications on every configured channel; none when no channel is configured. */
    private static DecisionEvents events(NotificationSettings n, AwsClients clients, AlertRepository alerts,
            ReviewToken tokens, Clock clock) {
        List<Notifier> notifiers = TracedNotifier.all(Channels.configured(n, clients, clients::secret), clients.tracing());
        if (notifiers.isEmpty()) {
            return DecisionEvents.NONE;
        }
        return new NotifyingDecisionEvents(new NotificationDispatcher(notifiers, alerts, clock),
                new ReviewLinks(n.reviewBaseUrl().orElseThrow(), tokens, n.linkValidity()));
    }
}
