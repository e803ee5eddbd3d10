package dev.cloudops.monitor;

import com.sun.net.httpserver.HttpServer;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.bedrock.AwsAgentTools;
import dev.cloudops.agent.bedrock.BedrockRemediationAgent;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.audit.AuditingAlertRepository;
import dev.cloudops.audit.logs.CloudWatchLogsAuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.json.EventJson;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.metrics.emf.EmfMetrics;
import dev.cloudops.monitor.investigate.RunbookAutoApprovals;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Channels;
import dev.cloudops.notify.Notifier;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.orchestration.ExecutionTrigger;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.orchestration.SnsExecutionTrigger;
import dev.cloudops.orchestration.WorkflowHandles;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.trace.TracedAlertRepository;
import dev.cloudops.trace.TracedArtifactStore;
import dev.cloudops.trace.TracedNotifier;
import dev.cloudops.trace.TracedRemediationAgent;
import dev.cloudops.trace.Tracing;
import dev.cloudops.evidence.aws.AwsEvidenceCollector;
import dev.cloudops.monitor.investigate.AlertInvestigator;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.monitor.dedupe.TracedOpenAlertClaims;
import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.monitor.quorum.RegionalSplits;
import dev.cloudops.monitor.quorum.dynamodb.DynamoDbRegionalObservations;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.Prober;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.target.TracedProbeStateStore;
import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.monitor.target.s3.S3TargetSource;
import dev.cloudops.monitor.target.ssm.SsmTargetSource;
import dev.cloudops.monitor.trigger.Triggers;
import dev.cloudops.snapstart.OnFirstUse;
import dev.cloudops.snapstart.SnapStartHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import org.xbill.DNS.ResolverConfig;

/**
 * The monitor function's composition root: plain constructors, no container. The alert and artifact stores,
 * the analysers and the channels are traced decorators, so each step is a subsegment of the invocation's trace.
 */
final class MonitorWiring {

    /** How far back CloudTrail is searched for changes to the resources involved. */
    private static final Duration CHANGE_LOOKBACK = Duration.ofHours(24);
    private static final String SAMPLE_EVENT = "{\"version\":\"0\",\"id\":\"snapstart-priming\","
            + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\",\"account\":\"000000000000\","
            + "\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}";
    private static final String SAMPLE_ALARM = "{\"Records\":[{\"EventSource\":\"aws:sns\",\"EventVersion\":\"1.0\","
            + "\"Sns\":{\"Type\":\"Notification\",\"MessageId\":\"snapstart-priming\",\"Timestamp\":"
            + "\"2026-01-01T00:00:00.000Z\",\"MessageAttributes\":{},\"Message\":\"{\\\"AlarmName\\\":\\\"priming\\\","
            + "\\\"NewStateValue\\\":\\\"OK\\\",\\\"Trigger\\\":{\\\"Dimensions\\\":[]}}\"}}]}";

    private MonitorWiring() {
    }

    /** The use case, the audit log the handler flushes at the end of each invocation, and the SnapStart hooks. */
    record Wired(DomainMonitor monitor, Triggers triggers, AuditTrail audit, SnapStartHooks snapStart) {
    }

    /** Metrics as EMF lines on stdout. */
    static Wired wire(MonitorConfig config, AwsClients clients, Clock clock) {
        return wire(config, clients, EmfMetrics.toStdout(config.telemetry().metricsNamespace(), "monitor", clock), clock);
    }

    static Wired wire(MonitorConfig config, AwsClients clients, Metrics metrics, Clock clock) {
        AuditTrail audit = config.telemetry().auditLogGroup().<AuditTrail>map(
                group -> new CloudWatchLogsAuditTrail(clients.logs(), group, "monitor", clock)).orElse(AuditTrail.NONE);
        SecureRandom random = new SecureRandom(); // alert ids; reseeded after each SnapStart restore
        List<OnFirstUse<?>> deferred = new ArrayList<>();
        var resolvers = config.resolvers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : config.resolvers();
        Prober prober = Prober.create(new ProbeSettings(resolvers, config.dnsTimeout(), config.connectTimeout(),
                config.requestTimeout(), config.maxBodyBytes(), ProbeSettings.defaultTrustAnchors()), clock);
        DomainMonitor monitor = domainMonitor(config, clients, audit, metrics, clock, random, deferred, prober);
        Triggers triggers = new Triggers(new EventJson());
        return new Wired(monitor, triggers, audit, new SnapStartHooks(clients, deferred,
                () -> warmUp(triggers, prober, clock), List.of(random)));
    }

    /**
     * Local work a restored instance's first invocation would otherwise pay for: binding a scheduled event and
     * an SNS alarm notification into their event types, reading their triggers, and one probe run.
     */
    private static void warmUp(Triggers triggers, Prober prober, Clock clock) {
        for (String sample : List.of(SAMPLE_EVENT, SAMPLE_ALARM)) {
            triggers.of(triggers.event(sample.getBytes(StandardCharsets.UTF_8)));
        }
        // A probe run's own path (work slots, a TCP connection, an HTTP exchange, the classification, the
        // load watch) against a page this JVM serves on the loopback interface for the moment: nothing
        // leaves the machine, and the server is gone before the snapshot.
        try {
            HttpServer page = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            page.createContext("/", exchange -> {
                byte[] body = "SnapStart priming".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            page.start();
            try {
                new ProbeRunner(prober, 1, 1, clock).run(List.of(ProbeSpec.of(URI.create("http://"
                        + InetAddress.getLoopbackAddress().getHostAddress() + ":" + page.getAddress().getPort()
                        + "/"))), clock.instant().plusSeconds(10));
            } finally {
                page.stop(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SnapStart priming could not serve its loopback page", e);
        }
    }

    private static DomainMonitor domainMonitor(MonitorConfig config, AwsClients clients, AuditTrail audit,
            Metrics metrics, Clock clock, SecureRandom random, List<OnFirstUse<?>> deferred, Prober prober) {
        Tracing tracing = clients.tracing();
        DynamoDbClient dynamoDb = clients.dynamoDb();
        S3Client s3 = clients.s3();
        ProbeRunner runner = new ProbeRunner(prober, config.concurrency(), config.maxOpen(), clock, tracing);
        TargetSource source = switch (config.targets()) {
            case MonitorConfig.TargetsLocation.Inline i -> TargetSource.inline(i.document());
            case MonitorConfig.TargetsLocation.S3Object s -> new S3TargetSource(s3, s.bucket(), s.key());
            case MonitorConfig.TargetsLocation.SsmParameter p -> new SsmTargetSource(clients.ssm(), p.name());
        };
        AlertRepository alerts = new TracedAlertRepository(new AuditingAlertRepository(
                new DynamoDbAlertRepository(dynamoDb, config.storage().alertsTable(), config.storage().alertRetention()),
                audit), tracing);
        ArtifactStore artifacts = new TracedArtifactStore(new S3ArtifactStore(s3, clients.s3Presigner(),
                config.storage().artifactsBucket(), config.storage().linkExpiry(), config.storage().artifactsKmsKeyId()),
                tracing);
        // Most invocations probe and raise nothing: the investigation's clients are built on the first alert
        // (or by SnapStart priming, before the snapshot).
        DynamoDbRegionalObservations observations = new DynamoDbRegionalObservations(dynamoDb, config.controlTable());
        RegionalSplits splits = new RegionalSplits(config.quorum(), observations, clock);
        DynamoDbRunbookStore runbooks = new DynamoDbRunbookStore(dynamoDb, config.controlTable());
        OnFirstUse<AlertInvestigator> investigation = new OnFirstUse<>("investigator", () -> {
            AlertInvestigator investigator = investigator(config, clients, s3, alerts, artifacts, prober, metrics, clock)
                    .withRegionalSplit(splits::of)
                    .withRunbooks(runbooks);
            return autoApprovals(config, clients, runbooks, alerts, clock).map(investigator::withAutoApprovals)
                    .orElse(investigator);
        });
        deferred.add(investigation);
        Optional<WorkflowStarts> workflows = Optional.empty();
        MonitorEvents events = events(config, clients, alerts, artifacts, clock);
        if (config.orchestration() == Orchestration.STEPFUNCTIONS) {
            WorkflowHandles handles = new DynamoDbWorkflowHandles(dynamoDb, config.storage().alertsTable());
            AlertWorkflow workflow = new AlertWorkflow(clients.sfn(), config.alertWorkflowArn().orElseThrow(), handles);
            workflows = Optional.of(new WorkflowStarts(workflow, handles, alerts, clock));
            events = new ClosingWorkflows(events, workflow);
        }
        return new DomainMonitor(source, runner,
                new DomainMonitor.Stores(
                        new TracedProbeStateStore(new DynamoDbProbeStateStore(dynamoDb, config.controlTable(),
                                config.quorum().regions().size() > 1 ? config.probeRegion() : null), tracing),
                        new TracedOpenAlertClaims(new DynamoDbOpenAlertClaims(dynamoDb, config.controlTable()), tracing),
                        alerts),
                new DomainMonitor.Alerting(detected -> investigation.get().investigate(detected), events,
                        new UlidGenerator(clock, random), metrics),
                new DomainMonitor.Policy(config.manualSeverity(), config.analysisDeadline(), config.decisionWindow()),
                workflows, RegionalQuorum.of(config.probeRegion(), config.quorum(),
                        observations, config.regionalAlertAfter(), clock),
                clock);
    }

    /**
     * Runbooks approving their own plans where a person set that option: the approved alert goes on in the alert
     * workflow, or (direct orchestration) through the execute topic; with neither, runbooks never approve by
     * themselves, since nothing would start the execution.
     */
    private static Optional<RunbookAutoApprovals> autoApprovals(MonitorConfig config, AwsClients clients,
            RunbookStore runbooks, AlertRepository alerts, Clock clock) {
        Consumer<Alert> handOn;
        if (config.orchestration() == Orchestration.STEPFUNCTIONS) {
            handOn = approved -> { }; // the workflow's Analyse task answers APPROVED, and the workflow goes on
        } else if (config.executeTopicArn().isPresent()) {
            ExecutionTrigger trigger = new SnsExecutionTrigger(clients.sns(), config.executeTopicArn().get());
            handOn = approved -> trigger.trigger(approved.alertId(), approved.planHash());
        } else {
            return Optional.empty();
        }
        return Optional.of(new RunbookAutoApprovals(runbooks, alerts, config.executor(), handOn, clock));
    }

    private static AlertInvestigator investigator(MonitorConfig config, AwsClients clients, S3Client s3,
            AlertRepository alerts, ArtifactStore artifacts, Prober prober, Metrics metrics, Clock clock) {
        // One client per service, shared by the evidence collector and the agent's read tools.
        Route53Client route53 = clients.route53();
        CloudFrontClient cloudFront = clients.cloudFront();
        AcmClient acm = clients.acmForCloudFront();
        CloudTrailClient cloudTrail = clients.cloudTrailForGlobalServices();
        AwsEvidenceCollector evidence = new AwsEvidenceCollector(route53, cloudFront, acm, s3, cloudTrail, clock,
                CHANGE_LOOKBACK);
        Tracing tracing = clients.tracing();
        Optional<RemediationAgent> agent = config.bedrockAgent().map(b -> new TracedRemediationAgent(
                new BedrockRemediationAgent(clients.bedrockAgentRuntime(), b.agentId(), b.aliasId(),
                        new AwsAgentTools(route53, cloudFront, acm, s3, cloudTrail,
                                url -> prober.probe(ProbeSpec.of(url)), tracing, clock),
                        b.maxToolRounds(), b.timeout(), clock), "bedrock", tracing));
        return new AlertInvestigator(evidence, agent,
                new TracedRemediationAgent(new RuleBasedRemediationAgent(), "rules", tracing), artifacts, alerts, clock,
                metrics, config.cost());
    }

    /** Notifications on every configured channel, or log lines only when none is configured. */
    private static MonitorEvents events(MonitorConfig config, AwsClients clients, AlertRepository alerts,
            ArtifactStore artifacts, Clock clock) {
        NotificationSettings n = config.notifications();
        MonitorEvents log = new LoggingMonitorEvents();
        if (!n.anyChannel()) {
            return log;
        }
        List<Notifier> notifiers = TracedNotifier.all(Channels.configured(n, clients, clients::secret), clients.tracing());
        ReviewToken tokens = new ReviewToken(clients.secret(n.signingKeySecretArn().orElseThrow())
                .getBytes(StandardCharsets.UTF_8), clock);
        return new NotifyingMonitorEvents(new NotificationDispatcher(notifiers, alerts, clock),
                new ReviewLinks(n.reviewBaseUrl().orElseThrow(), tokens, n.linkValidity()), artifacts, log);
    }
}
