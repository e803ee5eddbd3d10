package dev.cloudops.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import java.time.Instant;
import java.util.List;

/** The rule engine's tests' shared steps: analyse an incident on shop.example.com, read the report's plan. */
final class RuleReports {

    private RuleReports() {
    }

    /** The rule engine's report on a HIGH incident of {@code type} on https://shop.example.com/, seen twice. */
    static AgentReport analyze(IssueType type, String details, EvidencePack evidence) {
        return new RuleBasedRemediationAgent().analyze(new Incident("01JALERT", "https://shop.example.com/",
                "shop.example.com", type, Severity.HIGH, details, Instant.parse("2026-11-27T02:29:00Z"), 2), evidence);
    }

    /** The report's one plan block, which must validate against the published schema. */
    static Plan planOf(AgentReport report) {
        List<String> blocks = ReportReader.jsonBlocks(report.markdown());
        assertThat(blocks).hasSize(1);
        PlanParse parsed = PlanJson.parse(blocks.getFirst());
        assertThat(parsed).isInstanceOf(PlanParse.Valid.class);
        return ((PlanParse.Valid) parsed).plan();
    }

    /** The plan is one manual step whose instructions contain {@code instructionsContain}. */
    static void assertOnlyManual(Plan plan, String instructionsContain) {
        assertThat(plan.executable()).isFalse();
        assertThat(plan.steps()).singleElement().satisfies(step ->
                assertThat(((Action.ManualStep) step.action()).instructions()).contains(instructionsContain));
    }
}
