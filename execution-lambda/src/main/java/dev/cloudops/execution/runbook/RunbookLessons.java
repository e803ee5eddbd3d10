package dev.cloudops.execution.runbook;

import dev.cloudops.alert.Alert;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookLearner;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a verified execution teaches: its approved plan, generalised with the evidence it was made from
 * ({@link RunbookLearner}), stored as a runbook candidate taught by that alert, or counted as one more verified
 * success of the runbook it already is. A lesson never changes the execution's outcome: one that cannot be learned
 * or stored is logged and dropped.
 */
public final class RunbookLessons {

    private static final Logger LOG = LoggerFactory.getLogger(RunbookLessons.class);

    private final RunbookStore store;
    private final ArtifactStore artifacts;
    private final Clock clock;

    public RunbookLessons(RunbookStore store, ArtifactStore artifacts, Clock clock) {
        this.store = store;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    /** The runbook {@code alert}'s verified execution taught or confirmed, as stored; empty when it taught none. */
    public Optional<Runbook> verified(Alert alert) {
        try {
            if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)
                    || !valid.planHash().equals(alert.planHash())) {
                LOG.warn("no runbook learned: the stored plan is not the approved one");
                return Optional.empty();
            }
            if (alert.evidenceKey() == null) {
                LOG.info("no runbook learned: the alert has no evidence pack to generalise the plan with");
                return Optional.empty();
            }
            EvidencePack pack;
            try {
                pack = EvidencePack.fromJsonBytes(artifacts.get(alert.evidenceKey()).content());
            } catch (ArtifactNotFoundException | IllegalArgumentException e) {
                LOG.warn("no runbook learned: the evidence pack cannot be read ({})", e.getMessage());
                return Optional.empty();
            }
            Optional<RunbookTemplate> template = RunbookLearner.learn(alert.issueType(), valid.plan(), pack);
            if (template.isEmpty()) {
                LOG.info("no runbook learned: the plan has no step that runs, or cites evidence the pack lacks");
                return Optional.empty();
            }
            Runbook stored = store.learned(Runbook.candidate(template.get(), alert.alertId(), clock.instant()),
                    clock.instant());
            LOG.info("runbook {} ({}): {} verified success(es)", stored.id(), stored.status(),
                    stored.verifiedSuccesses());
            return Optional.of(stored);
        } catch (RuntimeException e) {
            LOG.error("no runbook learned: it could not be read or stored ({})", e.toString());
            return Optional.empty();
        }
    }
}
