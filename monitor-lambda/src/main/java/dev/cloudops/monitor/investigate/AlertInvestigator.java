package dev.cloudops.monitor.investigate;

import dev.cloudops.logging.LogContext;
import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.AgentUnavailableException;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.PlanChecks;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.evidence.EvidenceCollector;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.monitor.Investigator;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.runbook.RunbookStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analysis of a detected alert: collects and stores the evidence pack, asks the agent (when one is
 * configured) or the rule engine for a report and plan, validates the plan, stores the report, and
 * moves the alert to PENDING_APPROVAL in one conditional write. The rule engine also stands in when
 * the agent fails or gives no valid plan; the alert records which analyser answered and why. Reports
 * each agent call (count, response time, tokens, whether the rule engine had to answer instead) and
 * the estimated cost of each analysed alert. With a runbook store ({@link #withRunbooks}), an active learned runbook
 * that matches the alert's evidence is proposed first, and then neither the agent nor the rule engine is asked
 * ({@link RunbookProposals}).
 */
public final class AlertInvestigator implements Investigator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertInvestigator.class);

    private final EvidenceCollector evidence;
    private final Optional<RemediationAgent> agent;
    private final RemediationAgent rules;
    private final ArtifactStore artifacts;
    private final AlertRepository alerts;
    private final Clock clock;
    private final Metrics metrics;
    private final CostModel cost;
    private final Function<URI, Optional<RegionalSplit>> regionalSplit;
    private final Optional<RunbookProposals> runbooks;
    private final Optional<RunbookAutoApprovals> autoApprovals;

    public AlertInvestigator(EvidenceCollector evidence, Optional<RemediationAgent> agent, RemediationAgent rules,
            ArtifactStore artifacts, AlertRepository alerts, Clock clock, Metrics metrics, CostModel cost) {
        this(evidence, agent, rules, artifacts, alerts, clock, metrics, cost, target -> Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private AlertInvestigator(EvidenceCollector evidence, Optional<RemediationAgent> agent, RemediationAgent rules,
            ArtifactStore artifacts, AlertRepository alerts, Clock clock, Metrics metrics, CostModel cost,
            Function<URI, Optional<RegionalSplit>> regionalSplit, Optional<RunbookProposals> runbooks,
            Optional<RunbookAutoApprovals> autoApprovals) {
        this.evidence = evidence;
        this.agent = agent;
        this.rules = rules;
        this.artifacts = artifacts;
        this.alerts = alerts;
        this.clock = clock;
        this.metrics = metrics;
        this.cost = cost;
        this.regionalSplit = Objects.requireNonNull(regionalSplit, "regionalSplit");
        this.runbooks = Objects.requireNonNull(runbooks, "runbooks");
        this.autoApprovals = Objects.requireNonNull(autoApprovals, "autoApprovals");
    }

    /**
     * This investigator, adding to each alert's evidence how the probe regions see its target ({@code regionalSplit},
     * empty with one region), so the analysis can tell a failing site from a failing path to it.
     */
    public AlertInvestigator withRegionalSplit(Function<URI, Optional<RegionalSplit>> regionalSplit) {
        return new AlertInvestigator(evidence, agent, rules, artifacts, alerts, clock, metrics, cost, regionalSplit,
                runbooks, autoApprovals);
    }

    /**
     * This investigator, proposing the plan of an active runbook in {@code store} that matches an alert before asking
     * the agent or the rule engine; the proposal still needs approval as any plan does.
     */
    public AlertInvestigator withRunbooks(RunbookStore store) {
        return new AlertInvestigator(evidence, agent, rules, artifacts, alerts, clock, metrics, cost, regionalSplit,
                Optional.of(new RunbookProposals(store)), autoApprovals);
    }

    /**
     * This investigator, letting a runbook whose plan it proposed approve it by itself where a person set that option
     * and the runbook's record and the alert allow it ({@link RunbookAutoApprovals}); proposing needs
     * {@link #withRunbooks} too.
     */
    public AlertInvestigator withAutoApprovals(RunbookAutoApprovals approvals) {
        return new AlertInvestigator(evidence, agent, rules, artifacts, alerts, clock, metrics, cost, regionalSplit,
                runbooks, Optional.of(approvals));
    }

    @Override
    public Alert investigate(Alert detected) {
        try (var ignored = LogContext.alert(detected.alertId())) {
            Instant started = clock.instant();
            EvidencePack collected = evidence.collect(detected.alertId(), detected.domain());
            EvidencePack pack = regionalSplit.apply(URI.create(detected.targetUrl()))
                    .map(split -> split.addTo(collected)).orElse(collected);
            String evidenceKey = artifacts.put(new Artifact(ArtifactKind.EVIDENCE, detected.alertId(),
                    detected.domain(), detected.timestamp(), pack.toJsonBytes()));
            Incident incident = Incident.of(detected);
            Answer answer = runbooks.flatMap(r -> r.propose(incident, pack)).map(AlertInvestigator::proposed)
                    .orElseGet(() -> answer(incident, pack));
            String markdown = answer.report().markdown() + answer.validationSection();
            String reportKey = artifacts.put(new Artifact(ArtifactKind.ANALYSIS, detected.alertId(), detected.domain(),
                    detected.timestamp(), markdown.getBytes(StandardCharsets.UTF_8)));
            PlanParse.Valid plan = answer.plan() instanceof PlanParse.Valid valid ? valid : null;
            Analysis analysis = new Analysis(answer.report().analyzer(), answer.report().sessionId(),
                    ReportReader.executiveSummary(markdown), reportKey, artifacts.location(reportKey).toString(),
                    evidenceKey, plan == null ? null : plan.canonicalJson(), plan == null ? null : plan.planHash(),
                    ApprovalRules.required(detected.severity()), affectedServices(answer.report(), plan),
                    answer.report().estimatedImpact(), answer.note(), answer.runbookId());
            TransitionResult result = alerts.apply(detected.analyze(analysis,
                    Actor.system("analysis:" + answer.report().analyzer().wireName()), clock.instant()));
            metrics.put(Metric.of(MetricName.COST_PER_ALERT, cost.estimate(Duration.between(started, clock.instant()),
                    answer.inputTokens(), answer.outputTokens())).severity(detected.severity()).alert(detected.alertId()));
            return switch (result) {
                case TransitionResult.Applied applied -> {
                    LOG.info("analysed by {}: {}; report {}", answer.report().analyzer().wireName(),
                            plan == null ? "no executable plan" : "plan " + plan.planHash(), reportKey);
                    yield autoApprovals.map(a -> a.approveIfAllowed(applied.alert())).orElse(applied.alert());
                }
                case TransitionResult.Conflict conflict -> {
                    LOG.warn("the alert became {} while it was analysed; the analysis is kept at {} but not attached",
                            conflict.current().state(), reportKey);
                    yield conflict.current();
                }
                case TransitionResult.NotFound missing -> {
                    LOG.warn("the alert is gone; the analysis is kept at {}", reportKey);
                    yield detected;
                }
            };
        }
    }

    /** The services the analyser named, or else those the plan touches. */
    private static List<String> affectedServices(AgentReport report, PlanParse.Valid plan) {
        if (!report.affectedServices().isEmpty() || plan == null) {
            return report.affectedServices();
        }
        return plan.plan().steps().stream()
                .map(s -> s.action().name())
                .filter(n -> !n.startsWith("manual."))
                .map(n -> switch (n.substring(0, n.indexOf('.'))) {
                    case "route53" -> "Route 53";
                    case "cloudfront" -> "CloudFront";
                    case "acm" -> "ACM";
                    default -> n;
                })
                .distinct()
                .toList();
    }

    /**
     * The analyser's report with its plan checked, a note on how it came to be, the agent tokens spent on it (also
     * when the rule engine answered in the end), and the runbook that proposed it (null for any other analyser).
     */
    private record Answer(AgentReport report, PlanParse plan, boolean hadPlanBlock, String note, long inputTokens,
            long outputTokens, String runbookId) {

        Answer(AgentReport report, PlanParse plan, boolean hadPlanBlock, String note, long inputTokens,
                long outputTokens) {
            this(report, plan, hadPlanBlock, note, inputTokens, outputTokens, null);
        }

        /** Appended to the report when a plan was offered but refused, so people see why. */
        String validationSection() {
            if (!(plan instanceof PlanParse.Invalid invalid) || !hadPlanBlock) {
                return "";
            }
            StringBuilder s = new StringBuilder("\n## Plan Validation\n\nNo executable plan: the plan block was refused.\n\n");
            invalid.errors().forEach(e -> s.append("- ").append(e).append('\n'));
            return s.toString();
        }
    }

    /** A runbook's proposal as an answer: no tokens were spent on it. */
    private static Answer proposed(RunbookProposals.Proposal p) {
        AgentReport report = new AgentReport(Analyzer.RUNBOOK, null, p.markdown(), 0, 0, List.of(), null, null);
        return new Answer(report, p.plan(), true, "proposed by runbook " + p.runbook().id(), 0, 0, p.runbook().id());
    }

    private Answer answer(Incident incident, EvidencePack pack) {
        String fallback = null;
        long inputTokens = 0;
        long outputTokens = 0;
        if (agent.isPresent()) {
            metrics.put(Metric.of(MetricName.AGENT_INVOCATION_COUNT, 1).alert(incident.alertId()));
            Instant asked = clock.instant();
            boolean failed = true;
            try {
                AgentReport report = agent.get().analyze(incident, pack);
                inputTokens = report.inputTokens();
                outputTokens = report.outputTokens();
                metrics.put(Metric.of(MetricName.AGENT_TOKENS_USED, inputTokens).with("TokenType", "input")
                        .alert(incident.alertId()));
                metrics.put(Metric.of(MetricName.AGENT_TOKENS_USED, outputTokens).with("TokenType", "output")
                        .alert(incident.alertId()));
                PlanParse plan = plan(report, pack);
                if (plan instanceof PlanParse.Valid) {
                    failed = false;
                    return new Answer(report, plan, true, report.inputTokens() + " input and " + report.outputTokens()
                            + " output tokens", inputTokens, outputTokens);
                }
                fallback = "the agent gave no valid plan (" + String.join("; ", ((PlanParse.Invalid) plan).errors())
                        + ")";
            } catch (AgentUnavailableException e) {
                fallback = "the agent failed: " + e.getMessage();
            } finally {
                metrics.put(Metric.of(MetricName.AGENT_RESPONSE_TIME, Duration.between(asked, clock.instant()))
                        .alert(incident.alertId()));
                metrics.put(Metric.sample(MetricName.AGENT_ERROR_RATE, failed).alert(incident.alertId()));
            }
            LOG.warn("falling back to the rule engine: {}", fallback);
        }
        AgentReport report = rules.analyze(incident, pack);
        boolean hadBlock = !ReportReader.jsonBlocks(report.markdown()).isEmpty();
        return new Answer(report, plan(report, pack), hadBlock, fallback == null ? null : "rules used because " + fallback,
                inputTokens, outputTokens);
    }

    /** The report's one plan block, checked as every analysis's plan is ({@link PlanChecks}). */
    static PlanParse plan(AgentReport report, EvidencePack pack) {
        return PlanChecks.check(report.markdown(), pack);
    }
}
