package dev.cloudops.agent.replay;

import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import java.util.List;

/**
 * Re-runs the analysis of recorded incidents offline with today's code: the rule engine on the recorded incident and
 * evidence, and the plan checks on the recorded model answer when there is one; and compares with what was recorded.
 */
public final class Replay {

    private final RemediationAgent rules;

    public Replay() {
        this(new RuleBasedRemediationAgent());
    }

    /** Replays with {@code rules} standing for the rule engine (tests). */
    public Replay(RemediationAgent rules) {
        this.rules = rules;
    }

    /** What today's code makes of the incident. */
    public ReplayRecord run(RecordedIncident recorded) {
        AnalysisOutcome byRules = AnalysisOutcome.of(rules.analyze(recorded.incident(), recorded.evidence()).markdown(),
                recorded.evidence());
        AnalysisOutcome byModel = recorded.modelAnswer() == null ? null
                : AnalysisOutcome.of(recorded.modelAnswer(), recorded.evidence());
        return new ReplayRecord(byRules, byModel);
    }

    /** Today's outcome against the recorded one. */
    public Verdict check(RecordedIncident recorded) {
        if (recorded.expected() == null) {
            throw new ReplayInputException(recorded.dir().resolve(RecordedIncident.EXPECTED),
                    "missing; record it with --record");
        }
        ReplayRecord today = run(recorded);
        return new Verdict(recorded.name(), today, today.differencesFrom(recorded.expected()));
    }

    /** One incident replayed: today's outcome and how it differs from the recorded one (empty when the same). */
    public record Verdict(String name, ReplayRecord today, List<String> differences) {

        public Verdict {
            differences = List.copyOf(differences);
        }

        public boolean same() {
            return differences.isEmpty();
        }
    }
}
