package dev.cloudops.approval;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.http.HttpApiEvents;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.page.Grants;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.orchestration.SnsExecutionTrigger;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.audit.AuditingAlertRepository;
import dev.cloudops.audit.logs.CloudWatchLogsAuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.json.EventJson;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.metrics.emf.EmfMetrics;
import dev.cloudops.notify.Channels;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.orchestration.WorkflowHandles;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.trace.TracedAlertRepository;
import dev.cloudops.trace.TracedArtifactStore;
import dev.cloudops.trace.TracedNotifier;
import dev.cloudops.snapstart.Samples;
import dev.cloudops.snapstart.SnapStartHooks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The approval function's composition root: plain constructors, no container. The stores and the channels are
 * traced decorators, so each step is a subsegment of the invocation's trace.
 */
final class ApprovalWiring {

    private ApprovalWiring() {
    }

    /**
     * The use case, the alert workflow's task (refusing every task event in direct mode), the audit log the
     * handler flushes after each request, and the SnapStart hooks.
     */
    record Wired(ReviewPortal portal, WorkflowTasks tasks, AuditTrail audit, SnapStartHooks snapStart) {
    }

    /** Metrics as EMF lines on stdout. */
    static Wired wire(ApprovalConfig config, AwsClients clients, Clock clock) {
        return wire(config, clients, EmfMetrics.toStdout(config.telemetry().metricsNamespace(), "approval", clock),
                clock);
    }

    static Wired wire(ApprovalConfig config, AwsClients clients, Metrics metrics, Clock clock) {
        AuditTrail audit = config.telemetry().auditLogGroup().<AuditTrail>map(
                group -> new CloudWatchLogsAuditTrail(clients.logs(), group, "approval", clock)).orElse(AuditTrail.NONE);
        ReviewToken tokens = new ReviewToken(clients.secret(config.signingKeySecretArn()).getBytes(StandardCharsets.UTF_8),
                clock);
        AlertRepository alerts = new TracedAlertRepository(new AuditingAlertRepository(new DynamoDbAlertRepository(
                clients.dynamoDb(), config.storage().alertsTable(), config.storage().alertRetention()), audit),
                clients.tracing());
        Optional<AlertWorkflow> workflow = Optional.empty();
        WorkflowTasks tasks = WorkflowTasks.none();
        if (config.orchestration() == Orchestration.STEPFUNCTIONS) {
            WorkflowHandles handles = new DynamoDbWorkflowHandles(clients.dynamoDb(), config.storage().alertsTable());
            workflow = Optional.of(new AlertWorkflow(clients.sfn(), config.alertWorkflowArn(), handles));
            tasks = new WorkflowTasks(alerts, workflow.get());
        }
        return new Wired(portal(config, clients, alerts, workflow, tokens, metrics, audit, clock), tasks, audit,
                new SnapStartHooks(clients, List.of(), () -> warmUp(tokens, config.executor(), clock), List.of()));
    }

    /**
     * Local work a restored instance's first request would otherwise pay for: decoding an event, checking a
     * review link, rendering a review page (markdown, plan, what approving grants) and encoding the response.
     */
    private static void warmUp(ReviewToken tokens, Optional<SessionScope> executor, Clock clock) {
        HttpApiEvents events = new HttpApiEvents(new EventJson());
        Alert alert = Samples.pendingAlert(clock.instant());
        String token = tokens.issue(alert.alertId(), ReviewToken.REVIEW, Duration.ofMinutes(5));
        HttpRequest request = events.decode(("{\"version\":\"2.0\",\"routeKey\":\"GET /alerts/{id}\",\"rawPath\":"
                + "\"/alerts/" + alert.alertId() + "\",\"rawQueryString\":\"t=" + token + "\",\"headers\":{\"accept\":"
                + "\"text/html\"},\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/alerts/" + alert.alertId()
                + "\",\"sourceIp\":\"192.0.2.1\",\"userAgent\":\"SnapStart priming\"},\"stage\":\"$default\","
                + "\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"priming\"},\"scopes\":[]}},"
                + "\"timeEpoch\":0},\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8));
        if (!(tokens.verify(request.query().get("t"), alert.alertId(), ReviewToken.REVIEW)
                instanceof ReviewToken.Check.Valid)) {
            throw new IllegalStateException("a review link just issued does not verify");
        }
        events.encode(new Pages().review(new Pages.ReviewModel(alert, Optional.of("## Executive Summary\n\n*Sample*"),
                "", null, List.of(), Optional.of(new Pages.Form(token, Optional.of(token), true, "",
                        Grants.of(executor, alert))),
                Optional.empty())));
    }

    /** The portal alone, for tests that drive it without a handler. */
    static ReviewPortal portal(ApprovalConfig config, AwsClients clients, Clock clock) {
        return wire(config, clients, clock).portal();
    }

    private static ReviewPortal portal(ApprovalConfig config, AwsClients clients, AlertRepository alerts,
            Optional<AlertWorkflow> workflow, ReviewToken tokens, Metrics metrics, AuditTrail audit, Clock clock) {
        ArtifactStore artifacts = new TracedArtifactStore(new S3ArtifactStore(clients.s3(), clients.s3Presigner(),
                config.storage().artifactsBucket(), config.storage().linkExpiry(), config.storage().artifactsKmsKeyId()),
                clients.tracing());
        DecisionEvents events = events(config.notifications(), clients, alerts, tokens, clock);
        DecisionRecorder recorder = workflow.isPresent() && config.executeTopicArn() != null
                ? new DecisionRecorder(alerts, config.policy(), workflow.get(),
                        new SnsExecutionTrigger(clients.sns(), config.executeTopicArn()), clock, config.decisionWindow(),
                        events, metrics, config.executor())
                : workflow.isPresent()
                ? new DecisionRecorder(alerts, config.policy(), workflow.get(), clock, config.decisionWindow(), events,
                        metrics, config.executor())
                : new DecisionRecorder(alerts, config.policy(),
                        new SnsExecutionTrigger(clients.sns(), config.executeTopicArn()), clock, config.decisionWindow(),
                        events, metrics, config.executor());
        return new ReviewPortal(alerts, artifacts, recorder, new Authenticator(config.authMode(), tokens),
                new CsrfTokens(tokens, config.csrfValidity()), new Pages(),
                config.notifications().reviewBaseUrl().map(java.util.Set::of).orElse(java.util.Set.of()),
                config.controlTable().<RunbookStore>map(table -> new DynamoDbRunbookStore(clients.dynamoDb(), table)),
                audit, clock);
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
