package dev.cloudops.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.agent.PlanChecks;
import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.runbook.RunbookLearner;
import dev.cloudops.runbook.RunbookTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runbooks learned from every executable plan of the replay corpus (the rule engine's, and an accepted model
 * answer's): bound to the evidence they were learned from they give the same plan, byte for byte; bound to the
 * same incident with every identifier changed (zone, distribution, ETag, certificate) they give exactly the plan
 * the rule engine makes from that changed evidence; and they do not apply to another issue type.
 */
class RunbookCorpusTest {

    /** The hosted zone of every CloudFront alias target, the same in every account: not an identifier to change. */
    private static final String CLOUDFRONT_ALIAS_ZONE = "Z2FDTNDATAQYW2";

    private final RuleBasedRemediationAgent rules = new RuleBasedRemediationAgent();

    @Test
    void everyExecutablePlanOfTheCorpus_isLearned_andBoundToItsOwnEvidenceGivesTheSamePlan() {
        List<Taught> taught = taught();

        assertThat(taught).as("incidents with an executable plan").hasSizeGreaterThanOrEqualTo(5);
        Set<String> actions = new TreeSet<>();
        for (Taught t : taught) {
            RunbookTemplate template = RunbookLearner.learn(t.incident().incident().issueType(), t.plan(),
                    t.incident().evidence()).orElseThrow();

            RunbookTemplate.Binding bound = template.bind(t.incident().incident().issueType(), t.incident().evidence());

            assertThat(bound).as(t.name()).isInstanceOfSatisfying(RunbookTemplate.Binding.Bound.class,
                    b -> assertThat(PlanJson.canonical(b.plan())).isEqualTo(PlanJson.canonical(t.plan())));
            assertThat(template.parameters()).as(t.name() + ": the evidence it acts on is read, not copied")
                    .isNotEmpty();
            t.plan().steps().stream().map(PlanStep::action).filter(Action::executable).map(Action::name)
                    .forEach(actions::add);
        }
        assertThat(actions).as("the action types the corpus teaches")
                .contains("cloudfront.set_enabled", "route53.upsert_record");
    }

    @Test
    void boundToTheSameIncidentWithOtherIdentifiers_aRunbookGivesThePlanTheRuleEngineMakesOfThatEvidence() {
        int compared = 0;
        for (Taught t : taught()) {
            if (t.byModel()) {
                continue;
            }
            RunbookTemplate template = RunbookLearner.learn(t.incident().incident().issueType(), t.plan(),
                    t.incident().evidence()).orElseThrow();
            if (identifiers(t.incident().evidence(), template).isEmpty()) {
                continue; // the plan acts on names only (a certificate request for the host): nothing to change
            }
            EvidencePack changed = changeIdentifiers(t.incident().evidence(), template);
            Plan fresh = plan(rulesPlan(t.incident(), changed));

            RunbookTemplate.Binding bound = template.bind(t.incident().incident().issueType(), changed);

            assertThat(PlanJson.canonical(fresh)).as(t.name() + ": the identifiers were changed")
                    .isNotEqualTo(PlanJson.canonical(t.plan()));
            assertThat(bound).as(t.name()).isInstanceOfSatisfying(RunbookTemplate.Binding.Bound.class,
                    b -> assertThat(PlanJson.canonical(b.plan())).isEqualTo(PlanJson.canonical(fresh)));
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aRunbook_doesNotApplyToAnotherIssueType() {
        Taught t = taught().getFirst();
        RunbookTemplate template = RunbookLearner.learn(t.incident().incident().issueType(), t.plan(),
                t.incident().evidence()).orElseThrow();
        var other = java.util.Arrays.stream(dev.cloudops.alert.IssueType.values())
                .filter(type -> type != t.incident().incident().issueType()).findFirst().orElseThrow();

        assertThat(template.bind(other, t.incident().evidence())).isInstanceOfSatisfying(
                RunbookTemplate.Binding.NoMatch.class, n -> assertThat(n.reason()).contains("learned from "
                        + t.incident().incident().issueType() + " alerts; this one is " + other));
    }

    /** The pack with every {@link #identifiers identifier} changed wherever it occurs. */
    private static EvidencePack changeIdentifiers(EvidencePack pack, RunbookTemplate template) {
        String json = new String(pack.toJsonBytes(), StandardCharsets.UTF_8);
        for (String value : identifiers(pack, template)) {
            json = json.replace(value, rotate(value));
        }
        return EvidencePack.fromJsonBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The runbook's parameter values that are identifiers (no dot, at least 6 characters, not a word), longest first. */
    private static List<String> identifiers(EvidencePack pack, RunbookTemplate template) {
        RunbookTemplate.Binding own = template.bind(template.issueType(), pack);
        return ((RunbookTemplate.Binding.Bound) own).values().values().stream()
                .filter(v -> !v.contains(".") && v.length() >= 6 && !v.matches("[A-Za-z_ ]+"))
                .filter(v -> !v.equals(CLOUDFRONT_ALIAS_ZONE)).distinct()
                .sorted(Comparator.comparing(String::length).reversed()).toList();
    }

    /**
     * Each letter and digit one further (Z→A, 9→0) but the first (a distribution id starts with E, a zone id with
     * Z): the same shape, another identifier.
     */
    private static String rotate(String value) {
        StringBuilder out = new StringBuilder().append(value.charAt(0));
        for (char c : value.substring(1).toCharArray()) {
            out.append(c == 'Z' ? 'A' : c == 'z' ? 'a' : c == '9' ? '0'
                    : Character.isLetterOrDigit(c) ? (char) (c + 1) : c);
        }
        return out.toString();
    }

    private record Taught(String name, RecordedIncident incident, Plan plan, boolean byModel) {
    }

    private List<Taught> taught() {
        List<Taught> out = new ArrayList<>();
        for (var dir : RecordedIncident.find(ReplayCorpusTest.corpus())) {
            RecordedIncident incident = RecordedIncident.read(dir);
            PlanParse byRules = rulesPlan(incident, incident.evidence());
            if (byRules instanceof PlanParse.Valid valid && valid.plan().executable()) {
                out.add(new Taught(incident.name(), incident, valid.plan(), false));
            }
            if (incident.modelAnswer() != null
                    && PlanChecks.check(incident.modelAnswer(), incident.evidence()) instanceof PlanParse.Valid valid
                    && valid.plan().executable()) {
                out.add(new Taught(incident.name() + " (model)", incident, valid.plan(), true));
            }
        }
        return out;
    }

    private PlanParse rulesPlan(RecordedIncident incident, EvidencePack pack) {
        return PlanChecks.check(rules.analyze(incident.incident(), pack).markdown(), pack);
    }

    private static Plan plan(PlanParse parse) {
        assertThat(parse).isInstanceOf(PlanParse.Valid.class);
        return ((PlanParse.Valid) parse).plan();
    }
}
