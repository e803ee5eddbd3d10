package dev.cloudops.monitor.investigate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.AgentUnavailableException;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.EvidenceFixtures;
import dev.cloudops.testing.RecordingMetrics;
import dev.cloudops.testing.S3Emulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** From DETECTED to PENDING_APPROVAL against the DynamoDB and S3 emulators. */
@ExtendWith(Emulators.class)
class AlertInvestigatorIT {

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private InvestigatorBed bed;
    private DynamoDbAlertRepository alerts;
    private S3ArtifactStore artifacts;
    private RecordingMetrics metrics;

    AlertInvestigatorIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void stores() {
        bed = new InvestigatorBed(dynalite, s3);
        alerts = bed.alerts;
        artifacts = bed.artifacts;
        metrics = bed.metrics;
    }

    @Test
    void aDisabledDistribution_endsPendingApproval_withPlanReportAndEvidenceStored() throws Exception {
        Alert detected = detect(Severity.HIGH, IssueType.HTTP_ERROR, "HTTP: https://shop.example.com/ answered 403");

        investigator(disabledDistribution(), Optional.empty()).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(analysed.requiredApprovals()).isEqualTo(1);
        assertThat(analysed.agentAnalysis()).startsWith("The CloudFront distribution is disabled.");
        assertThat(analysed.plan()).contains("\"cloudfront.set_enabled\"");
        assertThat(analysed.planHash()).isEqualTo(PlanJson.hash(((dev.cloudops.plan.PlanParse.Valid)
                PlanJson.parse(analysed.plan())).plan()));
        assertThat(analysed.s3AnalysisKey()).isEqualTo("analyses/2026-11-27/shop.example.com/02-29-00-"
                + detected.alertId() + ".md");
        assertThat(analysed.s3AnalysisUrl()).startsWith("s3://artifacts-").endsWith(analysed.s3AnalysisKey());
        String report = new String(artifacts.get(analysed.s3AnalysisKey()).content(), StandardCharsets.UTF_8);
        assertThat(ReportReader.missingSections(report)).isEmpty();
        assertThat(new ObjectMapper().readTree(artifacts.get(analysed.evidenceKey()).content()).get("items"))
                .hasSize(3);
        assertThat(analysed.affectedServices()).containsExactly("CloudFront");
        assertThat(analysed.audit().getLast().actor()).isEqualTo("analysis:rules");
        assertThat(metrics.all()).extracting(Metric::name).containsExactly(MetricName.COST_PER_ALERT);
        assertThat(metrics.of(MetricName.COST_PER_ALERT)).singleElement().satisfies(m -> {
            assertThat(m.value()).isPositive().isEqualTo(CostModel.defaults().estimate(Duration.ZERO, 0, 0));
            assertThat(m.alertId()).isEqualTo(detected.alertId());
            assertThat(m.dimensions()).containsEntry("Severity", "high");
        });
    }

    @Test
    void aFailingAgent_isReplacedByTheRuleEngine_andTheAlertSaysWhy() {
        Alert detected = detect(Severity.HIGH, IssueType.HTTP_ERROR, "HTTP: answered 403");
        RemediationAgent throttled = mock(RemediationAgent.class);
        when(throttled.analyze(any(), any()))
                .thenThrow(new AgentUnavailableException("InvokeAgent throttled (ThrottlingException)", null));

        investigator(disabledDistribution(), Optional.of(throttled)).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(analysed.audit().getLast().detail())
                .endsWith("rules used because the agent failed: InvokeAgent throttled (ThrottlingException)");
        assertThat(analysed.plan()).isNotNull();
        assertThat(metrics.values(MetricName.AGENT_INVOCATION_COUNT)).containsExactly(1.0);
        assertThat(metrics.values(MetricName.AGENT_ERROR_RATE)).containsExactly(1.0);
        assertThat(metrics.values(MetricName.AGENT_RESPONSE_TIME)).hasSize(1);
        assertThat(metrics.of(MetricName.AGENT_TOKENS_USED)).isEmpty();
    }

    @Test
    void anAgentPlanThatDoesNotValidate_isRefused_andTheRuleEngineAnswers() {
        Alert detected = detect(Severity.HIGH, IssueType.HTTP_ERROR, "HTTP: answered 403");
        RemediationAgent sloppy = (incident, evidence) -> new AgentReport(Analyzer.BEDROCK, "session-9",
                "## Executive Summary\n\nDelete it.\n\n```json\n{\"version\":1,\"steps\":[{\"id\":\"S1\","
                        + "\"action\":\"route53.delete_hosted_zone\",\"parameters\":{}}]}\n```\n", 900, 300,
                null, null, null);

        investigator(disabledDistribution(), Optional.of(sloppy)).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(analysed.audit().getLast().detail()).contains("rules used because the agent gave no valid plan",
                "$.steps[0].action");
        assertThat(metrics.values(MetricName.AGENT_ERROR_RATE)).containsExactly(1.0);
        assertThat(metrics.values(MetricName.AGENT_TOKENS_USED)).containsExactly(900.0, 300.0);
        assertThat(metrics.values(MetricName.COST_PER_ALERT))
                .containsExactly(CostModel.defaults().estimate(Duration.ZERO, 900, 300));
    }

    @Test
    void anAgentWithAValidPlan_isUsed_andItsTokensRecorded() {
        Alert detected = detect(Severity.CRITICAL, IssueType.HTTP_ERROR, "HTTP: answered 403");
        RemediationAgent rulesAsAgent = (incident, evidence) -> {
            AgentReport r = new RuleBasedRemediationAgent().analyze(incident, evidence);
            return new AgentReport(Analyzer.BEDROCK, "session-1", r.markdown(), 1200, 800, List.of(), null, null);
        };

        investigator(disabledDistribution(), Optional.of(rulesAsAgent)).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.BEDROCK);
        assertThat(analysed.agentSessionId()).isEqualTo("session-1");
        assertThat(analysed.requiredApprovals()).as("critical plans need two people").isEqualTo(2);
        assertThat(analysed.audit().getLast().detail()).endsWith("1200 input and 800 output tokens");
        assertThat(analysed.affectedServices()).as("taken from the plan when the agent names none")
                .containsExactly("CloudFront");
        assertThat(metrics.values(MetricName.AGENT_INVOCATION_COUNT)).containsExactly(1.0);
        assertThat(metrics.values(MetricName.AGENT_ERROR_RATE)).containsExactly(0.0);
        assertThat(metrics.of(MetricName.AGENT_TOKENS_USED)).extracting(m -> m.dimensions().get("TokenType"), Metric::value)
                .containsExactly(tuple("input", 1200.0),
                        tuple("output", 800.0));
        assertThat(metrics.values(MetricName.COST_PER_ALERT).getFirst())
                .isGreaterThan(CostModel.defaults().estimate(Duration.ZERO, 0, 0));
    }

    @Test
    void aPlanCitingEvidenceThePackLacks_isRefused() {
        EvidencePack pack = disabledDistribution();
        AgentReport report = new RuleBasedRemediationAgent().analyze(dev.cloudops.agent.Incident.of(
                detect(Severity.LOW, IssueType.HTTP_ERROR, "HTTP: answered 403")), pack);
        EvidencePack smaller = new EvidenceFixtures().zone().pack();

        var parsed = AlertInvestigator.plan(report, smaller);

        assertThat(parsed).isInstanceOfSatisfying(dev.cloudops.plan.PlanParse.Invalid.class, invalid ->
                assertThat(invalid.errors()).containsExactly(
                        "step S1 cites evidence E3, which the evidence pack does not have"));
    }

    @Test
    void anUndiagnosedIncident_waitsForPeople_withNoExecutablePlan() {
        Alert detected = detect(Severity.MEDIUM, IssueType.CONTENT_MISMATCH, "HTTP: the body does not contain 'Welcome'");

        investigator(new EvidenceFixtures().denied("route53:ListHostedZonesByName").pack(), Optional.empty())
                .investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(analysed.plan()).isNull();
        assertThat(analysed.audit().getLast().detail()).isEqualTo("analysed by rules; no executable plan");
    }

    @Test
    void theRegionalSplit_joinsTheStoredEvidence_andTheRulesReadIt() throws Exception {
        Alert detected = detect(Severity.LOW, IssueType.DNS_FAILURE, "DNS: shop.example.com does not exist (NXDOMAIN)");
        RegionalSplit split = new RegionalSplit(detected.targetUrl(), 2, List.of(
                new RegionalSplit.RegionResult("eu-west-1", RegionalSplit.Seen.FAILING, Layer.DNS,
                        Classification.DNS_FAILURE, 9L, InvestigatorBed.DETECTED),
                new RegionalSplit.RegionResult("us-east-1", RegionalSplit.Seen.HEALTHY, null, Classification.HEALTHY,
                        70L, InvestigatorBed.DETECTED),
                RegionalSplit.RegionResult.silent("ap-southeast-2")));
        List<URI> asked = new java.util.ArrayList<>();
        EvidencePack pack = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN).pack();

        investigator(pack, Optional.empty()).withRegionalSplit(target -> {
            asked.add(target);
            return Optional.of(split);
        }).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        JsonNode items = new ObjectMapper().readTree(artifacts.get(analysed.evidenceKey()).content()).get("items");
        assertThat(asked).containsExactly(URI.create("https://shop.example.com/"));
        assertThat(items).hasSize(3);
        assertThat(items.get(2).get("id").asText()).isEqualTo("E3");
        assertThat(items.get(2).get("source").asText()).isEqualTo("probe:Regions");
        assertThat(RegionalSplit.fromData(items.get(2).get("data"))).contains(split);
        assertThat(analysed.agentAnalysis()).contains("resolve from eu-west-1 only");
        assertThat(analysed.plan()).contains("manual.step").doesNotContain("route53.upsert_record");
    }

    private Alert detect(Severity severity, IssueType type, String details) {
        return bed.detect(severity, type, details);
    }

    private static EvidencePack disabledDistribution() {
        return InvestigatorBed.disabledDistribution();
    }

    private AlertInvestigator investigator(EvidencePack pack, Optional<RemediationAgent> agent) {
        return bed.investigator(pack, agent);
    }
}
