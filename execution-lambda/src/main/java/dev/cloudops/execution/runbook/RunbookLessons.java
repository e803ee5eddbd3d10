package dev.cloudops.execution.runbook;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Approval;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.runbook.AutoApproval;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookLearner;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What executions teach the learned runbooks, and what the executor asks of them. A verified execution's approved
 * plan, generalised with the evidence it was made from ({@link RunbookLearner}), is stored as a runbook candidate
 * taught by that alert, or counted as one more verified success of the runbook it already is. A runbook whose plan
 * ran for an alert and did not end COMPLETED (its verification failed, or a step failed and what ran was rolled
 * back) is demoted to a candidate with that failure on its record, so the next such alert is analysed as if it had
 * never been learned until a person promotes it again. A lesson never changes the execution's outcome: one that
 * cannot be learned or stored is logged and dropped. Before anything runs, the executor asks whether a runbook's
 * own approval of a plan still holds ({@link #autoApprovalRefusal}).
 */
public final class RunbookLessons {

    private static final Logger LOG = LoggerFactory.getLogger(RunbookLessons.class);
    /** Conditional writes tried before a demotion is given up (other executions counting successes at once). */
    private static final int ATTEMPTS = 8;
    /** The longest failure kept on a runbook's record; the execution log has the whole of it. */
    static final int MAX_FAILURE_CHARS = 300;

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

    /**
     * Demotes the runbook that proposed {@code alert}'s plan, which ran and failed ({@code detail}, the outcome's
     * reason), to a candidate with the failure on its record; nothing when no runbook proposed it. Returns the runbook
     * as stored, empty when there was none or it could not be stored.
     */
    public Optional<Runbook> failed(Alert alert, String detail) {
        if (alert.runbookId() == null) {
            return Optional.empty();
        }
        String reason = "alert " + alert.alertId() + ": " + detail;
        if (reason.length() > MAX_FAILURE_CHARS) {
            reason = reason.substring(0, MAX_FAILURE_CHARS - 1) + "…";
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Optional<Runbook> found = store.find(alert.runbookId());
                if (found.isEmpty()) {
                    LOG.warn("runbook {} proposed the failed plan but is gone; nothing to demote", alert.runbookId());
                    return Optional.empty();
                }
                Optional<Runbook> stored = store.replace(found.get().demoted(reason, clock.instant()));
                if (stored.isPresent()) {
                    LOG.warn("runbook {} demoted to a candidate: its plan failed ({})", alert.runbookId(), reason);
                    return stored;
                }
            }
            LOG.error("runbook {} was not demoted: it kept changing under other writes", alert.runbookId());
        } catch (RuntimeException e) {
            LOG.error("runbook {} was not demoted: it could not be read or stored ({})", alert.runbookId(),
                    e.toString());
        }
        return Optional.empty();
    }

    /**
     * Why a runbook's own approval of {@code alert}'s plan does not hold now (the runbook read afresh: still active,
     * auto-approval still set, enough verified successes; see {@link AutoApproval#refusal}); empty when it holds or
     * no runbook approved the plan.
     */
    public Optional<String> autoApprovalRefusal(Alert alert) {
        for (Approval approval : alert.approvals()) {
            if (!AutoApproval.isRunbooks(approval)) {
                continue;
            }
            String id = AutoApproval.runbookOf(approval);
            Optional<Runbook> runbook;
            try {
                runbook = store.find(id);
            } catch (RuntimeException e) {
                return Optional.of("runbook " + id + " approved the plan by itself, but it cannot be read to check "
                        + "that it still may (" + e.getClass().getSimpleName() + ")");
            }
            if (runbook.isEmpty()) {
                return Optional.of("runbook " + id + " approved the plan by itself, but it is gone");
            }
            Optional<String> refusal = AutoApproval.refusal(runbook.get(), alert);
            if (refusal.isPresent()) {
                return Optional.of("runbook " + id + " approved the plan by itself, but may not now: "
                        + refusal.get());
            }
        }
        return Optional.empty();
    }
}
