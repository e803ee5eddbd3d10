package dev.cloudops.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.testing.EvidenceFixtures;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay against a changed rule engine: what changed is named; files round-trip; a damaged record is refused. */
class ReplayTest {

    private static final Incident INCIDENT = new Incident("01JALERT", "https://shop.example.com/", "shop.example.com",
            IssueType.HTTP_ERROR, Severity.HIGH, "HTTP: answered 403", Instant.parse("2026-11-27T02:29:00Z"), 2);
    private static final EvidencePack DISABLED = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
            .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, "shop-site.s3.eu-west-1.amazonaws.com", "E3OAC")
            .pack();

    @TempDir
    Path dir;

    private RecordedIncident recorded(RemediationAgent engine, String modelAnswer) {
        RecordedIncident incident = new RecordedIncident(dir, INCIDENT, DISABLED, modelAnswer, null);
        return new RecordedIncident(dir, INCIDENT, DISABLED, modelAnswer, new Replay(engine).run(incident));
    }

    @Test
    void theSameEngine_reachesTheSameOutcome() {
        Replay.Verdict verdict = new Replay().check(recorded(new RuleBasedRemediationAgent(), null));

        assertThat(verdict.same()).isTrue();
        assertThat(verdict.today().accepted()).isEqualTo("rules");
        assertThat(verdict.today().rules().plan().actions()).containsExactly("cloudfront.set_enabled");
    }

    @Test
    void anEngineThatLostItsPlan_isNamed_withTheOldPlanAndWhyThereIsNone() {
        RemediationAgent today = (incident, evidence) -> {
            AgentReport r = new RuleBasedRemediationAgent().analyze(incident, evidence);
            return new AgentReport(r.analyzer(), null, r.markdown().substring(0, r.markdown().indexOf("```json")), 0, 0,
                    null, null, null);
        };
        RecordedIncident before = recorded(new RuleBasedRemediationAgent(), null);

        Replay.Verdict verdict = new Replay(today).check(before);

        assertThat(verdict.same()).isFalse();
        assertThat(verdict.differences()).containsExactly("rules: executable plan plan "
                + before.expected().rules().plan().hash().substring(0, 12)
                + " -> no executable plan (the report has no plan block)");
    }

    @Test
    void anEngineWithAnotherDiagnosis_namesTheTitleAndRootCause() {
        RemediationAgent today = (incident, evidence) -> {
            AgentReport r = new RuleBasedRemediationAgent().analyze(incident, evidence);
            return new AgentReport(r.analyzer(), null, r.markdown().replace("The CloudFront distribution is disabled",
                    "The distribution is off").replace("is disabled, so", "is off, so"), 0, 0, null, null, null);
        };

        Replay.Verdict verdict = new Replay(today).check(recorded(new RuleBasedRemediationAgent(), null));

        assertThat(verdict.differences()).hasSize(2);
        assertThat(verdict.differences().get(0)).isEqualTo(
                "rules: diagnosis title 'The CloudFront distribution is disabled' -> 'The distribution is off'");
        assertThat(verdict.differences().get(1)).startsWith("rules: root cause '").contains("is off, so");
    }

    @Test
    void aModelAnswerWithAValidPlan_isAccepted_andOneWithout_fallsBackToTheRules() {
        String rules = new RuleBasedRemediationAgent().analyze(INCIDENT, DISABLED).markdown();

        assertThat(new Replay().run(recorded(new RuleBasedRemediationAgent(), rules)).accepted()).isEqualTo("bedrock");
        ReplayRecord refused = new Replay().run(recorded(new RuleBasedRemediationAgent(),
                rules + "\n```json\n{}\n```\n"));
        assertThat(refused.accepted()).isEqualTo("rules");
        assertThat(refused.modelAnswer().noPlan()).isEqualTo("the report has 2 JSON blocks; exactly one plan is expected");
    }

    @Test
    void anIncidentWrittenAndRecorded_readsBackTheSame() {
        RecordedIncident written = new RecordedIncident(dir, INCIDENT, DISABLED, "## Executive Summary\n\nx.\n", null);
        written.writeInputs();
        ReplayRecord outcome = new Replay().run(written);
        RecordedIncident.writeExpected(dir, outcome);

        RecordedIncident read = RecordedIncident.read(dir);

        assertThat(read.incident()).isEqualTo(INCIDENT);
        assertThat(read.evidence().toJson()).isEqualTo(DISABLED.toJson());
        assertThat(read.modelAnswer()).isEqualTo(written.modelAnswer());
        assertThat(read.expected()).isEqualTo(outcome);
        assertThat(RecordedIncident.find(dir.getParent())).contains(dir);
    }

    @Test
    void aContradictoryOrForeignRecord_isRefused_namingTheField() {
        ReplayRecord outcome = new Replay().run(new RecordedIncident(dir, INCIDENT, DISABLED, null, null));
        var json = outcome.toJson().put("accepted", "bedrock");

        assertThatThrownBy(() -> ReplayRecord.fromJson(json))
                .hasMessage("$.accepted: 'bedrock' contradicts the outcomes, which make it 'rules'");
        assertThatThrownBy(() -> ReplayRecord.fromJson(outcome.toJson().put("format", 2)))
                .hasMessage("$.format: 2, this code reads format 1");
        var noPlan = outcome.toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) noPlan.get("rules")).remove("plan");
        assertThatThrownBy(() -> ReplayRecord.fromJson(noPlan))
                .hasMessage("$.rules.plan: missing (null when there is no executable plan)");
    }
}
