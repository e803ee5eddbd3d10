package dev.cloudops.execution;

import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.audit.AuditingAlertRepository;
import dev.cloudops.audit.logs.CloudWatchLogsAuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.json.EventJson;
import dev.cloudops.execution.action.AcmExecutor;
import dev.cloudops.execution.action.CloudFrontExecutor;
import dev.cloudops.execution.action.Route53Executor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.agent.AgentModeRunner;
import dev.cloudops.execution.precheck.AcmEvidenceFacts;
import dev.cloudops.execution.precheck.PermissionChecker;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.precheck.TracedControlLocks;
import dev.cloudops.execution.precheck.dynamodb.DynamoDbControlLocks;
import dev.cloudops.execution.precheck.iam.IamPermissionChecker;
import dev.cloudops.execution.runbook.RunbookLessons;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.execution.schedule.TracedDeferredExecutions;
import dev.cloudops.execution.schedule.dynamodb.DynamoDbDeferredExecutions;
import dev.cloudops.execution.session.PlanCredentials;
import dev.cloudops.execution.session.PlanSessions;
import dev.cloudops.execution.verify.ProberTargetProbe;
import dev.cloudops.execution.verify.TargetProbe;
import dev.cloudops.execution.verify.TracedTargetProbe;
import dev.cloudops.execution.verify.Verifier;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.metrics.emf.EmfMetrics;
import dev.cloudops.notify.Channels;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.Prober;
import dev.cloudops.trace.TracedAlertRepository;
import dev.cloudops.trace.TracedArtifactStore;
import dev.cloudops.trace.TracedNotifier;
import dev.cloudops.trace.Tracing;
import dev.cloudops.snapstart.OnFirstUse;
import dev.cloudops.snapstart.Samples;
import dev.cloudops.snapstart.SnapStartHooks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ResolverConfig;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The execution function's composition root: plain constructors, no container. The stores, the re-probe, the
 * step runner and the channels are traced decorators, so each step is a subsegment of the invocation's trace.
 */
final class ExecutionWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionWiring.class);

    private ExecutionWiring() {
    }

    /**
     * The use case (built on first use), the stores of deferred executions and of alerts it shares with the
     * handler, the audit log to flush, the SnapStart hooks and how executions are orchestrated.
     */
    record Wired(OnFirstUse<PlanExecutor> executor, DeferredExecutions deferred, AlertRepository alerts,
            AuditTrail audit, SnapStartHooks snapStart, Orchestration orchestration) {
    }

    /** Metrics as EMF lines on stdout. */
    static Wired wire(ExecutionConfig config, AwsClients clients, Clock clock) {
        return wire(config, clients, EmfMetrics.toStdout(config.telemetry().metricsNamespace(), "execution", clock),
                clock);
    }

    static Wired wire(ExecutionConfig config, AwsClients clients, Metrics metrics, Clock clock) {
        Tracing tracing = clients.tracing();
        DynamoDbClient dynamoDb = clients.dynamoDb();
        AuditTrail audit = config.telemetry().auditLogGroup().<AuditTrail>map(
                group -> new CloudWatchLogsAuditTrail(clients.logs(), group, "execution", clock)).orElse(AuditTrail.NONE);
        AlertRepository alerts = new TracedAlertRepository(new AuditingAlertRepository(new DynamoDbAlertRepository(
                dynamoDb, config.storage().alertsTable(), config.storage().alertRetention()), audit), tracing);
        DeferredExecutions deferred = new TracedDeferredExecutions(
                new DynamoDbDeferredExecutions(dynamoDb, config.controlTable()), tracing);
        // The signing key is read when the first link is made (a finished execution's notification), not
        // during INIT and never in SnapStart priming: it cost INIT a first SDK request (about 120 ms), and a
        // restored instance reads the key as it is then.
        Optional<Supplier<ReviewLinks>> reviewLinks = reviewLinks(config, clients, clock);
        Consumer<Notification> notifications = notifications(config, clients, alerts, clock);
        // The run every five minutes mostly finds nothing due: the executor, and the clients only it uses,
        // are built on the first execution (or by SnapStart priming, before the snapshot).
        OnFirstUse<PlanExecutor> executor = new OnFirstUse<>("plan executor", () -> executor(config, clients, dynamoDb,
                alerts, deferred, reviewLinks, notifications, metrics, tracing, clock));
        return new Wired(executor, deferred, alerts, audit, new SnapStartHooks(clients, List.of(executor),
                ExecutionWiring::warmUp, List.of()), config.orchestration());
    }

    /** Local work a restored instance's first invocation would otherwise pay for: reading an execute message. */
    private static void warmUp() {
        String message = "{\\\"alert_id\\\":\\\"" + Samples.ALERT_ID + "\\\",\\\"plan_hash\\\":\\\""
                + Samples.plan().planHash() + "\\\"}";
        new ExecutionEvents(new EventJson()).parse(("{\"Records\":[{\"EventSource\":\"aws:sns\",\"EventVersion\":"
                + "\"1.0\",\"Sns\":{\"Type\":\"Notification\",\"MessageId\":\"snapstart-priming\",\"Timestamp\":"
                + "\"2026-01-01T00:00:00.000Z\",\"Message\":\"" + message + "\",\"MessageAttributes\":{\"alert_id\":"
                + "{\"Type\":\"String\",\"Value\":\"" + Samples.ALERT_ID + "\"}}}}]}").getBytes(StandardCharsets.UTF_8));
    }

    private static PlanExecutor executor(ExecutionConfig config, AwsClients clients, DynamoDbClient dynamoDb,
            AlertRepository alerts, DeferredExecutions deferred, Optional<Supplier<ReviewLinks>> reviewLinks,
            Consumer<Notification> notifications, Metrics metrics, Tracing tracing, Clock clock) {
        S3Client s3 = clients.s3();
        S3Presigner presigner = clients.s3Presigner();
        ArtifactStore artifacts = new TracedArtifactStore(new S3ArtifactStore(s3, presigner,
                config.storage().artifactsBucket(), config.storage().linkExpiry(), config.storage().artifactsKmsKeyId()),
                tracing);
        // Closed alerts go to the Object Lock bucket when the stack has one (SSE-S3, as that bucket's default
        // encryption), else with the other artifacts.
        ArtifactStore archive = config.auditArchiveBucket().<ArtifactStore>map(bucket -> new TracedArtifactStore(
                new S3ArtifactStore(s3, presigner, bucket, config.storage().linkExpiry(),
                        Optional.empty()), tracing)).orElse(artifacts);
        // With an executor role, the step executors sign with a session of it scoped to the approved plan being
        // run, and with nothing between plans; the function's own role cannot change a site.
        PlanSessions sessions = config.executor().<PlanSessions>map(scope -> new PlanCredentials(scope,
                PlanCredentials.sts(clients.sts()), clock)).orElse(PlanSessions.UNSCOPED);
        AwsClients stepClients = sessions instanceof PlanCredentials scoped ? clients.signedWith(scoped) : clients;
        Route53Client route53 = stepClients.route53();
        AcmClient acm = stepClients.acmForCloudFront();
        StepExecutors executors = new StepExecutors(List.of(
                new Route53Executor(route53, clock, config.route53SyncDeadline(), Duration.ofSeconds(2)),
                new CloudFrontExecutor(stepClients.cloudFront(), clock),
                new AcmExecutor(acm, route53, clock, Duration.ofSeconds(60), Duration.ofSeconds(3))));
        // The certificate an evidence item names may not be the plan's, so the pre-check reads it with the
        // function's own role (acm:DescribeCertificate, its only ACM action), not in the plan's session.
        AcmClient certificateFacts = sessions instanceof PlanCredentials ? clients.acmForCloudFront() : acm;
        PermissionChecker permissions = config.executor().<PermissionChecker>map(
                scope -> new IamPermissionChecker(clients.iam(), scope.executorRoleArn())).orElse(PermissionChecker.NONE);
        DynamoDbControlLocks locks = new DynamoDbControlLocks(dynamoDb, config.controlTable(),
                config.lockFor(), config.maxConcurrent(), config.maxPerHour());
        TracedControlLocks control = new TracedControlLocks(locks, locks, tracing);
        var resolvers = config.resolvers().isEmpty() ? ResolverConfig.getCurrentConfig().servers() : config.resolvers();
        Prober prober = Prober.create(new ProbeSettings(resolvers, Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(10), 1 << 20, ProbeSettings.defaultTrustAnchors()), clock);
        TargetProbe probe = new TracedTargetProbe(new ProberTargetProbe(prober), tracing);
        StepRunner runner = new TracedStepRunner(config.agent().<StepRunner>map(agent -> new AgentModeRunner(
                new AgentModeRunner.Agent(clients.bedrockAgentRuntime(), agent.agentId(), agent.aliasId()),
                AgentModeRunner.reportsIn(artifacts), executors, alerts,
                new AgentModeRunner.Limits(agent.maxRounds(), agent.timeout()), clock))
                .orElseGet(() -> new PlanModeRunner(executors, clock)), tracing);
        LogLinks logLinks = reviewLinks.<LogLinks>map(links -> (alertId, key) -> {
            try {
                return links.get().log(alertId);
            } catch (RuntimeException e) {
                // The outcome is stored already; the notification still goes out, with the log's own link.
                LOG.error("no review link for alert {}: the signing key could not be read ({}); linking the "
                        + "execution log directly", alertId, e.getMessage());
                return artifacts.presignedUrl(key);
            }
        }).orElse((alertId, key) -> artifacts.presignedUrl(key));
        // Each verified execution teaches a runbook candidate, kept in the Control table.
        RunbookLessons lessons = new RunbookLessons(new DynamoDbRunbookStore(dynamoDb, config.controlTable()),
                artifacts, clock);
        return new PlanExecutor(new PlanExecutor.Records(alerts, artifacts, archive, deferred, Optional.of(lessons)),
                new PlanExecutor.Safety(config.approvalRules(), new Preflight(executors, permissions,
                        new AcmEvidenceFacts(certificateFacts)), config.windows(), control, control, sessions),
                new PlanExecutor.Steps(executors, runner, probe,
                        new Verifier(probe, clock, config.verifyDeadline(), config.verifyInterval())),
                new PlanExecutor.Reporting(notifications, logLinks, metrics),
                new PlanExecutor.Timing(config.approvalWindow(), config.retryAfter(), false, config.timeReserve(),
                        config.stuckAfter()), clock);
    }

    /**
     * Links to the portal's log route when review links are configured (they are whenever a channel is);
     * without them, execution logs are linked by presigned URL, which is only for logs and tests.
     */
    private static Optional<Supplier<ReviewLinks>> reviewLinks(ExecutionConfig config, AwsClients clients,
            Clock clock) {
        var n = config.notifications();
        if (n.reviewBaseUrl().isEmpty() || n.signingKeySecretArn().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OnFirstUse<>("review links", () -> new ReviewLinks(n.reviewBaseUrl().get(),
                new ReviewToken(clients.secret(n.signingKeySecretArn().get()).getBytes(StandardCharsets.UTF_8), clock),
                n.linkValidity())));
    }

    /** Every configured channel; log lines only when none is configured. */
    private static Consumer<Notification> notifications(ExecutionConfig config, AwsClients clients,
            AlertRepository alerts, Clock clock) {
        List<Notifier> notifiers = TracedNotifier.all(Channels.configured(config.notifications(), clients,
                clients::secret), clients.tracing());
        NotificationDispatcher dispatcher = new NotificationDispatcher(notifiers, alerts, clock);
        return notifiers.isEmpty() ? n -> { } : dispatcher::dispatch;
    }
}
