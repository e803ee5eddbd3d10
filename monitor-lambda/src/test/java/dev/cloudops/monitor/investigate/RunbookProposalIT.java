package dev.cloudops.monitor.investigate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.agent.Incident;
import dev.cloudops.agent.PlanChecks;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookLearner;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.EvidenceFixtures;
import dev.cloudops.testing.S3Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An active learned runbook that matches a new alert's evidence is proposed before any analyser is asked, with its
 * record, and counted as used; a candidate (also one demoted after a failure) is not proposed, and an active runbook
 * that does not match, or a store that cannot be read, leaves the analysis as it was. Where a person set it, the
 * runbook approves its proposal for a LOW alert by itself and hands it on; otherwise the proposal waits for people.
 * The real investigator against the DynamoDB and S3 emulators.
 */
@ExtendWith(Emulators.class)
class RunbookProposalIT {

    private static final Instant DETECTED = InvestigatorBed.DETECTED;
    private static final String TEACHER = "01JTEACHERALERT0000000000A";

    /** Fails the test if the investigator asks it anything. */
    private static final RemediationAgent MUST_NOT_BE_ASKED = (incident, evidence) -> {
        throw new AssertionError("no analyser may be asked when a runbook matches");
    };

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private InvestigatorBed bed;
    private DynamoDbAlertRepository alerts;
    private S3ArtifactStore artifacts;
    private RunbookStore runbooks;

    RunbookProposalIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void stores() {
        bed = new InvestigatorBed(dynalite, s3);
        alerts = bed.alerts;
        artifacts = bed.artifacts;
        runbooks = new DynamoDbRunbookStore(dynalite.client(), dynalite.createControlTable());
    }

    @Test
    void anActiveRunbookThatMatches_isProposed_withItsRecord_andNoAnalyserIsAsked() throws Exception {
        Runbook active = promote(learn());
        Alert detected = detect(IssueType.HTTP_ERROR);
        EvidencePack other = otherDistribution();

        bed.investigator(other, Optional.of(MUST_NOT_BE_ASKED), MUST_NOT_BE_ASKED).withRunbooks(runbooks)
                .investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        PlanParse.Valid expected = (PlanParse.Valid) PlanChecks.check(
                new RuleBasedRemediationAgent().analyze(Incident.of(detected), other).markdown(), other);
        assertThat(analysed.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RUNBOOK);
        assertThat(analysed.plan()).as("the runbook's plan bound to this alert's evidence")
                .isEqualTo(expected.canonicalJson()).contains("E1ANOTHERDIST7").doesNotContain(EvidenceFixtures.DISTRIBUTION);
        assertThat(analysed.planHash()).isEqualTo(expected.planHash());
        assertThat(analysed.requiredApprovals()).as("it still needs approval").isEqualTo(1);
        assertThat(analysed.audit().getLast().actor()).isEqualTo("analysis:runbook");
        assertThat(analysed.audit().getLast().detail()).endsWith("proposed by runbook " + active.id());
        String record = "Proposed by runbook " + active.id() + ", learned from alert " + TEACHER
                + ", promoted by alice; 1 verified success, 0 uses before this alert, last failure: none.";
        assertThat(analysed.agentAnalysis()).startsWith(record);
        String report = new String(artifacts.get(analysed.s3AnalysisKey()).content(), StandardCharsets.UTF_8);
        assertThat(report).contains(record, "E1ANOTHERDIST7");
        assertThat(ReportReader.missingSections(report)).isEmpty();
        assertThat(runbooks.find(active.id()).orElseThrow().uses()).isEqualTo(1);
        assertThat(bed.metrics.of(MetricName.AGENT_INVOCATION_COUNT)).isEmpty();
    }

    @Test
    void aCandidate_isNotProposed_andTheRuleEngineAnswers() {
        Runbook candidate = learn();
        Alert detected = detect(IssueType.HTTP_ERROR);

        investigator(otherDistribution()).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(analysed.plan()).contains("E1ANOTHERDIST7");
        assertThat(runbooks.find(candidate.id()).orElseThrow().uses()).isZero();
    }

    @Test
    void anActiveRunbookThatDoesNotMatch_leavesTheAnalysisAsItWas() {
        Runbook active = promote(learn());
        Alert detected = detect(IssueType.HTTP_ERROR);
        EvidencePack enabled = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, "shop-site.s3.eu-west-1.amazonaws.com", "E3OAC")
                .pack();
        assertThat(active.template().bind(IssueType.HTTP_ERROR, enabled))
                .as("the runbook was verified where the distribution was disabled")
                .isInstanceOf(RunbookTemplate.Binding.NoMatch.class);

        investigator(enabled).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(analysed.audit().getLast().actor()).isEqualTo("analysis:rules");
        assertThat(runbooks.find(active.id()).orElseThrow().uses()).isZero();
    }

    @Test
    void aDemotedRunbook_isNotProposed_andTheNextAlertFallsBackToTheRuleEngine() {
        Runbook active = promote(learn());
        runbooks.replace(active.demoted("alert 01JFAILED: the target was still failing after the plan", DETECTED))
                .orElseThrow();
        Alert detected = detect(IssueType.HTTP_ERROR);

        investigator(otherDistribution()).investigate(detected);

        Alert analysed = alerts.find(detected.alertId()).orElseThrow();
        assertThat(analysed.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(analysed.runbookId()).isNull();
        assertThat(analysed.plan()).contains("E1ANOTHERDIST7");
    }

    @Test
    void aStoreThatCannotList_leavesTheAnalysisToTheRuleEngine() {
        promote(learn());
        Alert detected = detect(IssueType.HTTP_ERROR);
        RunbookStore unreadable = new Delegating(runbooks) {
            @Override
            public List<Runbook> list(Runbook.Status status, int limit) {
                throw new IllegalStateException("ProvisionedThroughputExceededException");
            }
        };

        bed.investigator(otherDistribution(), Optional.empty()).withRunbooks(unreadable).investigate(detected);

        assertThat(alerts.find(detected.alertId()).orElseThrow().analyzer()).isEqualTo(Analyzer.RULES);
    }

    @Test
    void aUseLostToAConcurrentWrite_isCountedOnRetry_once() {
        Runbook active = promote(learn());
        Alert detected = detect(IssueType.HTTP_ERROR);
        AtomicInteger replaces = new AtomicInteger();
        RunbookStore racing = new Delegating(runbooks) {
            @Override
            public Optional<Runbook> replace(Runbook next) {
                if (replaces.incrementAndGet() == 1) {
                    // Another alert's proposal counts its use first: this write finds the version changed.
                    runbooks.replace(runbooks.find(next.id()).orElseThrow().used()).orElseThrow();
                }
                return super.replace(next);
            }
        };

        bed.investigator(otherDistribution(), Optional.empty()).withRunbooks(racing).investigate(detected);

        assertThat(alerts.find(detected.alertId()).orElseThrow().runbookId()).isEqualTo(active.id());
        assertThat(replaces).hasValue(2);
        assertThat(runbooks.find(active.id()).orElseThrow().uses()).as("the other proposal's use and this one's")
                .isEqualTo(2);
    }

    @Test
    void aLowAlert_isApprovedByItsRunbookItself_whereAPersonSetIt_namingTheSessionPolicy_andHandedOn() {
        Runbook active = runbooks.replace(promote(learn()).autoApproving(1, "lee@example.com")).orElseThrow();
        Alert detected = bed.detect(Severity.LOW, IssueType.HTTP_ERROR, "HTTP: https://shop.example.com/ answered 403");
        List<Alert> handedOn = new ArrayList<>();
        SessionScope executor = SessionScope.of("arn:aws:iam::123456789012:role/cloudops-executor");

        Alert returned = investigator(otherDistribution()).withAutoApprovals(new RunbookAutoApprovals(runbooks, alerts,
                Optional.of(executor), handedOn::add, InvestigatorBed.CLOCK)).investigate(detected);

        Alert stored = alerts.find(detected.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(returned).isEqualTo(stored);
        assertThat(stored.runbookId()).isEqualTo(active.id());
        Approval approval = stored.approvals().getFirst();
        assertThat(approval.subject()).isEqualTo("runbook:" + active.id());
        assertThat(approval.comment()).contains("set by lee@example.com");
        String policy = ((SessionPolicy.Scoped) executor.policyFor(((PlanParse.Valid) PlanJson.parse(stored.plan()))
                .plan())).sha256();
        assertThat(approval.policyHash()).isEqualTo(policy);
        assertThat(ApprovalRules.defaults().problems(stored, stored.planHash(), policy))
                .as("what the executor checks again").isEmpty();
        assertThat(stored.audit().getLast().action()).isEqualTo(AuditAction.APPROVED);
        assertThat(stored.audit().getLast().actor()).isEqualTo("runbook " + active.id());
        assertThat(handedOn).extracting(Alert::alertId).containsExactly(detected.alertId());
    }

    @Test
    void withoutTheOption_orForAnAlertAboveLow_theRunbooksProposalWaitsForAPerson() {
        Runbook active = promote(learn());
        List<Alert> handedOn = new ArrayList<>();
        RunbookAutoApprovals approvals = new RunbookAutoApprovals(runbooks, alerts, Optional.empty(), handedOn::add,
                InvestigatorBed.CLOCK);
        Alert low = bed.detect(Severity.LOW, IssueType.HTTP_ERROR, "HTTP: https://shop.example.com/ answered 403");

        investigator(otherDistribution()).withAutoApprovals(approvals).investigate(low);

        runbooks.replace(runbooks.find(active.id()).orElseThrow().autoApproving(1, "lee")).orElseThrow();
        Alert high = detect(IssueType.HTTP_ERROR);
        investigator(otherDistribution()).withAutoApprovals(approvals).investigate(high);

        assertThat(alerts.find(low.alertId()).orElseThrow().state()).as("off by default")
                .isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(alerts.find(high.alertId()).orElseThrow().state()).as("a HIGH alert")
                .isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(handedOn).isEmpty();
    }

    @Test
    void aHandOnThatFails_leavesTheApprovalStanding_andTheAlertSaysWhatToDo() {
        Runbook active = runbooks.replace(promote(learn()).autoApproving(1, "lee")).orElseThrow();
        Alert low = bed.detect(Severity.LOW, IssueType.HTTP_ERROR, "HTTP: https://shop.example.com/ answered 403");

        investigator(otherDistribution()).withAutoApprovals(new RunbookAutoApprovals(runbooks, alerts,
                Optional.empty(), approved -> {
                    throw new IllegalStateException("SNS is unreachable");
                }, InvestigatorBed.CLOCK)).investigate(low);

        Alert stored = alerts.find(low.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(stored.approvals()).singleElement().satisfies(a -> assertThat(a.subject())
                .isEqualTo("runbook:" + active.id()));
        assertThat(stored.audit().getLast().action()).isEqualTo(AuditAction.EXECUTION_TRIGGER_FAILED);
        assertThat(stored.audit().getLast().detail()).contains("IllegalStateException",
                "{\"alert_id\":\"" + low.alertId() + "\",\"plan_hash\":\"" + stored.planHash() + "\"}",
                "to the execute topic");
    }

    /** The runbook the rule engine's plan for a disabled distribution teaches, stored as a candidate. */
    private Runbook learn() {
        EvidencePack pack = disabledDistribution();
        Alert teacher = detect(IssueType.HTTP_ERROR);
        PlanParse.Valid plan = (PlanParse.Valid) PlanChecks.check(
                new RuleBasedRemediationAgent().analyze(Incident.of(teacher), pack).markdown(), pack);
        RunbookTemplate template = RunbookLearner.learn(IssueType.HTTP_ERROR, plan.plan(), pack).orElseThrow();
        return runbooks.learned(Runbook.candidate(template, TEACHER, DETECTED), DETECTED);
    }

    private Runbook promote(Runbook candidate) {
        return runbooks.replace(candidate.promoted("alice", DETECTED)).orElseThrow();
    }

    private AlertInvestigator investigator(EvidencePack pack) {
        return bed.investigator(pack, Optional.empty()).withRunbooks(runbooks);
    }

    private Alert detect(IssueType type) {
        return bed.detect(Severity.HIGH, type, "HTTP: https://shop.example.com/ answered 403");
    }

    private static EvidencePack disabledDistribution() {
        return InvestigatorBed.disabledDistribution();
    }

    /** The same incident on another distribution, with another ETag. */
    private static EvidencePack otherDistribution() {
        String json = new String(disabledDistribution().toJsonBytes(), StandardCharsets.UTF_8)
                .replace(EvidenceFixtures.DISTRIBUTION, "E1ANOTHERDIST7").replace("E3ETAGEXAMPLE9", "E9OTHERETAG42X");
        return EvidencePack.fromJsonBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A store that does what {@code delegate} does, for tests to change one operation of. */
    private static class Delegating implements RunbookStore {
        private final RunbookStore delegate;

        Delegating(RunbookStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Runbook learned(Runbook candidate, Instant at) {
            return delegate.learned(candidate, at);
        }

        @Override
        public Optional<Runbook> find(String id) {
            return delegate.find(id);
        }

        @Override
        public List<Runbook> list(Runbook.Status status, int limit) {
            return delegate.list(status, limit);
        }

        @Override
        public Optional<Runbook> replace(Runbook next) {
            return delegate.replace(next);
        }
    }
}
