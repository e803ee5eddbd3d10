package dev.cloudops.local;

import dev.cloudops.CloudopsException;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.bedrock.AwsAgentTools;
import dev.cloudops.agent.bedrock.BedrockRemediationAgent;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.Page;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.approval.ApprovalPolicy;
import dev.cloudops.approval.DecisionRecorder;
import dev.cloudops.approval.NotifyingDecisionEvents;
import dev.cloudops.approval.ReviewPortal;
import dev.cloudops.approval.auth.AuthMode;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.PortalServer;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.evidence.EvidenceCollector;
import dev.cloudops.evidence.aws.AwsEvidenceCollector;
import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.execution.PlanExecutor;
import dev.cloudops.execution.PlanModeRunner;
import dev.cloudops.execution.action.AcmExecutor;
import dev.cloudops.execution.action.CloudFrontExecutor;
import dev.cloudops.execution.action.Route53Executor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.precheck.AcmEvidenceFacts;
import dev.cloudops.execution.precheck.EvidenceFacts;
import dev.cloudops.execution.precheck.PermissionChecker;
import dev.cloudops.execution.runbook.RunbookLessons;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.verify.ProberTargetProbe;
import dev.cloudops.execution.verify.TargetProbe;
import dev.cloudops.execution.verify.Verifier;
import dev.cloudops.local.bus.InProcessBus;
import dev.cloudops.local.dryrun.DryRunExecutor;
import dev.cloudops.local.evidence.ProbeEvidenceCollector;
import dev.cloudops.local.files.FolderArtifactStore;
import dev.cloudops.local.portal.ArtifactRoute;
import dev.cloudops.local.sqlite.SqliteAlertRepository;
import dev.cloudops.local.sqlite.SqliteControlLocks;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteDeferredExecutions;
import dev.cloudops.local.sqlite.SqliteOpenAlertClaims;
import dev.cloudops.local.sqlite.SqliteProbeStateStore;
import dev.cloudops.local.sqlite.SqliteRegionalObservations;
import dev.cloudops.local.sqlite.SqliteRunbookStore;
import dev.cloudops.monitor.DomainMonitor;
import dev.cloudops.monitor.LoggingMonitorEvents;
import dev.cloudops.monitor.NotifyingMonitorEvents;
import dev.cloudops.monitor.RunReport;
import dev.cloudops.monitor.investigate.AlertInvestigator;
import dev.cloudops.monitor.investigate.CostModel;
import dev.cloudops.monitor.investigate.RunbookAutoApprovals;
import dev.cloudops.monitor.quorum.QuorumPolicy;
import dev.cloudops.monitor.quorum.RegionalSplits;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.trigger.Trigger;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.notify.WebhookClient;
import dev.cloudops.notify.WebhookNotifier;
import dev.cloudops.orchestration.ExecutionTrigger;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.Prober;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.trace.Tracing;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ResolverConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline on one machine (DESIGN.md section 9): scheduled probing of the configured targets,
 * analysis (AWS evidence and Bedrock when configured, otherwise probe evidence and the rule engine),
 * notifications, the review portal on a local HTTP server (the approval function's own routes), and
 * execution after approval through an in-process bus (a dry run that says so without AWS credentials).
 * Stores are SQLite and a folder, behind the same ports as DynamoDB and S3.
 *
 * <p>With probe sites, each site is a region of the monitor's quorum (issue 24): one monitor per site, each with
 * its own prober on the site's resolvers and its own failure streaks, all sharing the stores, the sites' latest
 * observations and one investigator that adds the sites' split to each alert's evidence ({@code probe:Regions}).
 * A probe round runs the sites one after another in the configuration's order, and the console shows what each
 * site did with each target whenever that changes.
 */
public final class LocalPipeline implements AutoCloseable {

    /** The account's read and write clients, built once when AWS credentials are configured. */
    private record Account(Route53Client route53, CloudFrontClient cloudFront, AcmClient acm, S3Client s3,
            CloudTrailClient cloudTrail) {
    }

    /** One probe site's monitor; the single unnamed site when no probe sites are configured. */
    private record Site(String name, DomainMonitor monitor) {
    }

    /** What one probe site's monitor did in a probe round. */
    public record SiteReport(String site, RunReport report) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    private final List<Site> sites;
    private final PrintStream console;
    /** Per site and target, the last action and classification shown on the console. */
    private final Map<String, String> shown = new HashMap<>();
    private final PlanExecutor executor;
    private final SqliteDeferredExecutions deferred;
    private final PortalServer server;
    private final InProcessBus bus;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AlertRepository alerts;
    private final FolderArtifactStore artifacts;
    private final SqliteDatabase database;
    private final AwsClients clients;
    private final boolean dryRun;
    private final Clock clock;
    private final Duration interval;
    private final ReviewLinks links;

    private LocalPipeline(LocalConfig config, Optional<AwsCredentialsProvider> credentials, Clock clock,
            PrintStream console) throws IOException {
        this.clock = clock;
        this.console = console;
        this.interval = config.probeInterval();
        Files.createDirectories(config.dataDir());
        byte[] key = SigningKey.loadOrCreate(config.dataDir());
        AtomicReference<java.util.function.Function<HttpRequest, HttpResponse>> routes = new AtomicReference<>();
        server = PortalServer.start(new InetSocketAddress(config.host(), config.port()),
                request -> routes.get().apply(request));
        URI base = config.portalUrl(server.baseUrl().getPort());
        database = SqliteDatabase.open(config.dataDir());
        alerts = new SqliteAlertRepository(database, Duration.ofDays(7));
        artifacts = new FolderArtifactStore(config.dataDir().resolve("artifacts"), base, key, Duration.ofMinutes(15), clock);
        dryRun = credentials.isEmpty();
        clients = credentials.map(c -> new AwsClients(new AwsSettings(Region.of(config.awsRegion().orElseThrow()),
                config.awsEndpoint()), c)).orElse(null);
        Set<TrustAnchor> anchors = trust(config.trust());
        List<LocalConfig.ProbeSite> probeSites = config.probeSites().isEmpty()
                ? List.of(new LocalConfig.ProbeSite("local", List.of())) : config.probeSites();
        List<Prober> probers = new ArrayList<>();
        for (LocalConfig.ProbeSite site : probeSites) {
            probers.add(Prober.create(new ProbeSettings(site.resolvers().isEmpty()
                    ? ResolverConfig.getCurrentConfig().servers() : site.resolvers(), Duration.ofSeconds(2),
                    Duration.ofSeconds(3), Duration.ofSeconds(10), 1 << 20, anchors), clock));
        }
        // Evidence and verification probe from the first site, as the monitor function does from its own region.
        Prober prober = probers.getFirst();
        ReviewToken tokens = new ReviewToken(key, clock);
        links = new ReviewLinks(base, tokens, config.decisionWindow());
        List<Notifier> notifiers = new ArrayList<>();
        notifiers.add(new ConsoleNotifier(console));
        WebhookClient webhooks = new WebhookClient(Duration.ofSeconds(10), 4, Duration.ofMillis(500), Duration.ofSeconds(20));
        config.teamsWebhook().ifPresent(u -> notifiers.add(WebhookNotifier.teams(webhooks, u)));
        config.slackWebhook().ifPresent(u -> notifiers.add(WebhookNotifier.slack(webhooks, u)));
        NotificationDispatcher dispatcher = new NotificationDispatcher(notifiers, alerts, clock);
        TargetProbe probe = new ProberTargetProbe(prober);
        // Each client once, shared by evidence, the agent's tools and the executors.
        Account aws = clients == null ? null : new Account(clients.route53(), clients.cloudFront(),
                clients.acmForCloudFront(), clients.s3(), clients.cloudTrailForGlobalServices());

        EvidenceCollector evidence = aws == null
                ? new ProbeEvidenceCollector(prober, (id, host) -> alerts.find(id).map(a -> URI.create(a.targetUrl()))
                        .orElse(URI.create("https://" + host + "/")), clock)
                : new AwsEvidenceCollector(aws.route53(), aws.cloudFront(), aws.acm(), aws.s3(), aws.cloudTrail(), clock,
                        Duration.ofHours(24));
        Optional<RemediationAgent> agent = aws == null || config.bedrockAgentId().isEmpty() ? Optional.empty()
                : Optional.of(new BedrockRemediationAgent(clients.bedrockAgentRuntime(), config.bedrockAgentId().get(),
                        config.bedrockAliasId().orElseThrow(), new AwsAgentTools(aws.route53(), aws.cloudFront(),
                        aws.acm(), aws.s3(), aws.cloudTrail(), probe::probe, Tracing.NONE, clock), 8,
                        Duration.ofSeconds(90), clock));
        // Runbooks learned from verified executions (and promoted on the portal) are proposed before any analysis.
        SqliteRunbookStore runbooks = new SqliteRunbookStore(database);
        // A runbook set to approve LOW alerts by itself hands its approved plan to the bus, made below.
        AtomicReference<ExecutionTrigger> started = new AtomicReference<>();
        AlertInvestigator investigator = new AlertInvestigator(evidence, agent, new RuleBasedRemediationAgent(), artifacts,
                alerts, clock, Metrics.NONE, CostModel.defaults()).withRunbooks(runbooks)
                .withAutoApprovals(new RunbookAutoApprovals(runbooks, alerts, Optional.empty(),
                        approved -> started.get().trigger(approved.alertId(), approved.planHash()), clock));
        boolean quorum = config.probeSites().size() > 1;
        QuorumPolicy policy = quorum ? new QuorumPolicy(config.quorum(), new TreeSet<>(probeSites.stream()
                .map(LocalConfig.ProbeSite::name).toList()), config.quorumWindow(), QuorumPolicy.DEFAULT_CLOCK_SKEW)
                : null;
        SqliteRegionalObservations observations = new SqliteRegionalObservations(database);
        if (quorum) {
            investigator = investigator.withRegionalSplit(new RegionalSplits(policy, observations, clock)::of);
        }
        DomainMonitor.Alerting alerting = new DomainMonitor.Alerting(investigator,
                new NotifyingMonitorEvents(dispatcher, links, artifacts, new LoggingMonitorEvents()),
                new UlidGenerator(clock, new SecureRandom()), Metrics.NONE);
        DomainMonitor.Policy monitorPolicy = new DomainMonitor.Policy(dev.cloudops.alert.Severity.MEDIUM,
                config.analysisDeadline(), config.decisionWindow());
        SqliteOpenAlertClaims claims = new SqliteOpenAlertClaims(database);
        List<Site> built = new ArrayList<>();
        for (int i = 0; i < probeSites.size(); i++) {
            String name = probeSites.get(i).name();
            ProbeRunner runner = new ProbeRunner(probers.get(i), ProbeRunner.defaultWorkSlots(), 100, clock);
            // Each site keeps its own streaks with a quorum; a single site keeps today's rows.
            DomainMonitor.Stores stores = new DomainMonitor.Stores(new SqliteProbeStateStore(database,
                    quorum ? name : null), claims, alerts);
            TargetSource targets = TargetSource.inline(config.targetsDocument());
            built.add(new Site(name, quorum
                    ? new DomainMonitor(targets, runner, stores, alerting, monitorPolicy,
                            new DomainMonitor.Region(name, policy, observations, config.regionalAlertAfter()), clock)
                    : new DomainMonitor(targets, runner, stores, alerting, monitorPolicy, clock)));
        }
        sites = List.copyOf(built);

        StepExecutors executors = aws == null ? new StepExecutors(List.of(new DryRunExecutor()))
                : new StepExecutors(List.of(
                        new Route53Executor(aws.route53(), clock, Duration.ofMinutes(5), Duration.ofSeconds(2)),
                        new CloudFrontExecutor(aws.cloudFront(), clock),
                        new AcmExecutor(aws.acm(), aws.route53(), clock, Duration.ofSeconds(60), Duration.ofSeconds(3))));
        EvidenceFacts facts = aws == null ? EvidenceFacts.NONE : new AcmEvidenceFacts(aws.acm());
        SqliteControlLocks locks = new SqliteControlLocks(database, Duration.ofMinutes(15), config.maxConcurrent(),
                config.maxPerHour());
        deferred = new SqliteDeferredExecutions(database);
        // The local runner's deciders and executor read the same rules: the default roles, its link-mode severities.
        ApprovalRules rules = new ApprovalRules(ApprovalRules.defaults().roles(), config.linkModeSeverities());
        executor = new PlanExecutor(new PlanExecutor.Records(alerts, artifacts, artifacts, deferred, Optional.of(
                new RunbookLessons(runbooks, artifacts, clock))),
                new PlanExecutor.Safety(rules, new Preflight(executors, PermissionChecker.NONE, facts), config.windows(),
                        locks, locks),
                new PlanExecutor.Steps(executors, new PlanModeRunner(executors, clock), probe,
                        new Verifier(probe, clock, config.verifyDeadline(), Duration.ofSeconds(5))),
                new PlanExecutor.Reporting(dispatcher::dispatch, (alertId, logKey) -> links.log(alertId), Metrics.NONE),
                new PlanExecutor.Timing(config.approvalWindow(), Duration.ofMinutes(5), dryRun, Duration.ZERO,
                        Duration.ofHours(1)), clock);
        bus = new InProcessBus(executor, outcome -> LOG.info("execution outcome: {}", outcome));
        started.set(bus);
        // No executor role here: plans run with the runner's own credentials, so no grants are shown or checked.
        DecisionRecorder recorder = new DecisionRecorder(alerts, new ApprovalPolicy(rules), bus, clock, config.decisionWindow(),
                new NotifyingDecisionEvents(dispatcher, links), Metrics.NONE, Optional.empty());
        // The runbook pages need sign-in, which the local runner (link mode) does not have: they refuse, as the queue does.
        ReviewPortal portal = new ReviewPortal(alerts, artifacts, recorder, new Authenticator(AuthMode.LINK, tokens),
                new CsrfTokens(tokens, Duration.ofHours(2)), new Pages(), Set.of(), Optional.of(runbooks),
                AuditTrail.NONE, clock);
        ArtifactRoute files = new ArtifactRoute(artifacts);
        routes.set(request -> request.path().startsWith(ArtifactRoute.PREFIX) ? files.serve(request, clock.instant())
                : portal.handle(request));
    }

    /**
     * Starts the portal, prints the review link of every alert still open from an earlier run (on this run's
     * portal address, with a fresh token), then the schedule: a probe run now and every interval, and deferred
     * executions as they fall due.
     */
    public static LocalPipeline start(LocalConfig config, Clock clock, PrintStream console) {
        return scheduled(open(config, clock, console), console);
    }

    /** As {@link #start(LocalConfig, Clock, PrintStream)}, calling AWS with {@code credentials} (the demo's account). */
    static LocalPipeline start(LocalConfig config, AwsCredentialsProvider credentials, Clock clock, PrintStream console) {
        return scheduled(open(config, Optional.of(credentials), clock, console), console);
    }

    private static LocalPipeline scheduled(LocalPipeline pipeline, PrintStream console) {
        pipeline.announceOpenAlerts(console);
        pipeline.scheduler.scheduleWithFixedDelay(pipeline::probeOnce, 0, pipeline.interval.toMillis(),
                TimeUnit.MILLISECONDS);
        pipeline.scheduler.scheduleWithFixedDelay(pipeline::runDue, 30, 30, TimeUnit.SECONDS);
        return pipeline;
    }

    /** The pipeline with its portal up but nothing scheduled: probe rounds run when {@link #probeRound()} is called. */
    static LocalPipeline open(LocalConfig config, Clock clock, PrintStream console) {
        return open(config, credentials(config), clock, console);
    }

    /** As {@link #open(LocalConfig, Clock, PrintStream)}, with these AWS credentials (none: evidence from probes). */
    static LocalPipeline open(LocalConfig config, Optional<AwsCredentialsProvider> credentials, Clock clock,
            PrintStream console) {
        try {
            return new LocalPipeline(config, credentials, clock, console);
        } catch (IOException e) {
            throw new CloudopsException("the local pipeline cannot start: " + e.getMessage(), e);
        }
    }

    public URI portalUrl() {
        return server.baseUrl();
    }

    public boolean dryRun() {
        return dryRun;
    }

    public AlertRepository alerts() {
        return alerts;
    }

    public FolderArtifactStore artifacts() {
        return artifacts;
    }

    /**
     * Links sent by an earlier run name that run's port and may have expired; the alerts they lead to are
     * announced only once, so without this an open alert would have no working link on the console.
     */
    private void announceOpenAlerts(PrintStream console) {
        List<Alert> open = new ArrayList<>();
        for (ApprovalStatus status : List.of(ApprovalStatus.DETECTED, ApprovalStatus.PENDING_APPROVAL,
                ApprovalStatus.APPROVED)) {
            String cursor = null;
            do {
                Page<Alert> page = alerts.listByStatus(status, 100, cursor);
                page.items().stream().filter(a -> !a.state().isTerminal()).forEach(open::add);
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
        }
        synchronized (console) {
            for (Alert a : open) {
                console.println("[" + a.alertId() + "] still open (" + a.state() + "): " + a.issueType() + " on "
                        + a.domain() + "\n    review: " + links.review(a.alertId()));
            }
            console.flush();
        }
    }

    private void probeOnce() {
        try {
            probeRound();
        } catch (RuntimeException e) {
            LOG.error("probe run failed: {}", e.toString());
        }
    }

    /**
     * One probe round: every site's monitor in turn, in the configuration's order (so the first site to see a
     * failure confirmed by the quorum is always the same one and the console reads the same way each run). With
     * several sites, the console shows each site's action on each target whenever it changes. Rounds never overlap.
     */
    synchronized List<SiteReport> probeRound() {
        List<SiteReport> reports = new ArrayList<>();
        for (Site site : sites) {
            Instant now = clock.instant();
            RunReport report = site.monitor().handle(new Trigger.Scheduled(now),
                    now.plus(interval).minus(interval.dividedBy(10)));
            reports.add(new SiteReport(site.name(), report));
        }
        if (sites.size() > 1) {
            show(reports);
        }
        return reports;
    }

    /** Prints each site's action on each target when it differs from what was last shown for that pair. */
    private void show(List<SiteReport> reports) {
        List<String> lines = new ArrayList<>();
        for (SiteReport site : reports) {
            for (RunReport.TargetReport target : site.report().targets()) {
                String state = target.action() + " " + target.classification();
                if (!state.equals(shown.put(site.site() + " " + target.url(), state))) {
                    lines.add(line(site.site(), target));
                }
            }
        }
        if (!lines.isEmpty()) {
            synchronized (console) {
                lines.forEach(console::println);
                console.flush();
            }
        }
    }

    private static String line(String site, RunReport.TargetReport target) {
        String what = switch (target.action()) {
            case REGIONAL -> "REGIONAL (an observation, no alert): " + target.details();
            case RAISED_REGIONAL, COUNTED_REGIONAL -> target.action() + " (LOW regional-reachability alert "
                    + String.join(", ", target.alertIds()) + "): " + target.details();
            case RAISED, COUNTED, RECOVERED -> target.action() + " alert " + String.join(", ", target.alertIds());
            default -> target.action().toString();
        };
        return "[probe site " + site + "] " + target.url() + " " + target.classification() + " -> " + what;
    }

    private void runDue() {
        try {
            for (ExecutionRequest request : deferred.due(clock.instant())) {
                executor.execute(request);
            }
        } catch (RuntimeException e) {
            LOG.error("deferred executions failed: {}", e.toString());
        }
    }

    /** AWS credentials when the configuration names a region and they resolve; none means probe evidence and a dry run. */
    private static Optional<AwsCredentialsProvider> credentials(LocalConfig config) {
        if (config.awsRegion().isEmpty()) {
            return Optional.empty();
        }
        AwsCredentialsProvider provider = config.awsProfile().<AwsCredentialsProvider>map(
                p -> ProfileCredentialsProvider.builder().profileName(p).build())
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        try {
            provider.resolveCredentials();
            return Optional.of(provider);
        } catch (SdkException e) {
            LOG.warn("aws is configured but no credentials resolve ({}); evidence from probes, executions are dry runs",
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static Set<TrustAnchor> trust(List<Path> pems) throws IOException {
        Set<TrustAnchor> anchors = new HashSet<>(ProbeSettings.defaultTrustAnchors());
        for (Path pem : pems) {
            try (InputStream in = Files.newInputStream(pem)) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    anchors.add(new TrustAnchor((X509Certificate) c, null));
                }
            } catch (CertificateException e) {
                throw new IOException(pem + " is not a PEM certificate: " + e.getMessage(), e);
            }
        }
        return anchors;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            // A probe run still writing would race the next start over the same data folder.
            if (!scheduler.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("a probe run did not stop within 20 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bus.close();
        server.close();
        if (clients != null) {
            clients.close();
        }
    }
}
