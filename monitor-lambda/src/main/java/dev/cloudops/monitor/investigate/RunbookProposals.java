package dev.cloudops.monitor.investigate;

import dev.cloudops.agent.Incident;
import dev.cloudops.agent.PlanChecks;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.time.Timestamps;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan of an active learned runbook for a new alert, proposed before any model call (issue 26): the active
 * runbooks are tried in a fixed order (most verified successes first, then id), each bound to the alert's issue type
 * and evidence, and the first bound plan that passes the checks every analyser's plan passes ({@link PlanChecks}) is
 * proposed, with a report saying which runbook it is and its record. The proposal is counted as a use of the runbook;
 * a failure to count it, or to read the store at all, never stops the analysis (it then goes on as without runbooks).
 */
final class RunbookProposals {

    private static final Logger LOG = LoggerFactory.getLogger(RunbookProposals.class);

    /** More active runbooks than an account has; the store lists them with a Scan. */
    static final int LIMIT = 500;

    /** Most verified successes first, then by id: the same runbooks always give the same proposal. */
    private static final Comparator<Runbook> ORDER = Comparator.comparingInt(Runbook::verifiedSuccesses).reversed()
            .thenComparing(Runbook::id);

    /** The runbook proposed, the report written for it, and its bound plan as the checks accepted it. */
    record Proposal(Runbook runbook, String markdown, PlanParse.Valid plan) {
    }

    private final RunbookStore store;

    RunbookProposals(RunbookStore store) {
        this.store = store;
    }

    /** The first active runbook whose plan binds to this alert's evidence and passes the checks, counted as used. */
    Optional<Proposal> propose(Incident incident, EvidencePack pack) {
        List<Runbook> active;
        try {
            active = store.list(Runbook.Status.ACTIVE, LIMIT).stream().sorted(ORDER).toList();
        } catch (RuntimeException e) {
            LOG.warn("no runbook proposed: the runbooks could not be listed ({})", e.toString());
            return Optional.empty();
        }
        for (Runbook runbook : active) {
            RunbookTemplate.Binding binding;
            try {
                binding = runbook.template().bind(incident.issueType(), pack);
            } catch (RuntimeException e) {
                LOG.warn("runbook {} skipped: it could not be bound to this alert ({})", runbook.id(), e.toString());
                continue;
            }
            if (!(binding instanceof RunbookTemplate.Binding.Bound bound)) {
                continue;
            }
            String markdown = report(incident, pack, runbook, bound);
            PlanParse checked = PlanChecks.check(markdown, pack);
            if (checked instanceof PlanParse.Valid valid) {
                recordUse(runbook);
                return Optional.of(new Proposal(runbook, markdown, valid));
            }
            LOG.warn("runbook {} bound to this alert, but its plan was refused: {}", runbook.id(),
                    String.join("; ", ((PlanParse.Invalid) checked).errors()));
        }
        return Optional.empty();
    }

    /** Counts one use; after a lost race it reads the runbook again once, and gives up quietly after that. */
    private void recordUse(Runbook runbook) {
        try {
            if (store.replace(runbook.used()).isPresent()) {
                return;
            }
            Optional<Runbook> again = store.find(runbook.id());
            if (again.isEmpty() || store.replace(again.get().used()).isEmpty()) {
                LOG.warn("the use of runbook {} was not counted: it changed while it was proposed", runbook.id());
            }
        } catch (RuntimeException e) {
            LOG.warn("the use of runbook {} was not counted: {}", runbook.id(), e.toString());
        }
    }

    /** One line of a runbook's record, as the report and people read it. */
    static String record(Runbook r) {
        return "Proposed by runbook " + r.id() + ", learned from alert " + r.taughtBy() + ", promoted by "
                + (r.promotedBy() == null ? "nobody" : r.promotedBy()) + "; " + r.verifiedSuccesses()
                + (r.verifiedSuccesses() == 1 ? " verified success, " : " verified successes, ") + r.uses()
                + (r.uses() == 1 ? " use" : " uses") + " before this alert, last failure: "
                + (r.lastFailureAt() == null ? "none"
                        : Timestamps.forPeople(r.lastFailureAt()) + (r.lastFailure() == null ? "" : " (" + r.lastFailure() + ")"))
                + ".";
    }

    /** The report in the sections every analyser writes, with the bound plan as its one JSON block. */
    private static String report(Incident incident, EvidencePack pack, Runbook runbook,
            RunbookTemplate.Binding.Bound bound) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(incident.issueType()).append(" on ").append(incident.host()).append("\n\n");
        md.append("## Executive Summary\n\n").append(record(runbook))
                .append(" The plan below needs approval before anything changes.\n\n");
        md.append("## Detailed Investigation\n\n");
        md.append("- Probe: ").append(cell(incident.errorDetails())).append(" (").append(incident.url())
                .append(", ").append(incident.occurrences())
                .append(incident.occurrences() == 1 ? " occurrence" : " occurrences").append(")\n");
        for (EvidenceItem item : pack.items()) {
            md.append("- ").append(item.id()).append(" `").append(item.source()).append("` ")
                    .append(item.status() == EvidenceStatus.OK ? "" : "[" + item.status() + "] ")
                    .append(cell(item.summary())).append('\n');
        }
        md.append("\n## Root Cause\n\nNot diagnosed again: this alert's evidence matches, value for value and state for "
                + "state, the evidence on which the runbook's plan was verified.\n\n");
        md.append("## Critical Findings\n\n| # | Finding | Evidence | Severity |\n|---|---|---|---|\n");
        int n = 1;
        for (Map.Entry<String, String> value : bound.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .toList()) {
            md.append("| ").append(n++).append(" | The runbook's {{").append(value.getKey()).append("}} is `")
                    .append(cell(value.getValue())).append("` here | ")
                    .append(source(runbook.template(), value.getKey())).append(" | INFO |\n");
        }
        md.append("\n## Immediate Actions\n\n1. Review the runbook's plan below for this alert, and approve or reject it.\n");
        md.append("\n## Prevention\n\n- The runbook's record grows with each verified execution of its plan.\n");
        md.append("\n## Remediation Plan\n\n```json\n").append(PlanJson.toJson(bound.plan()).toPrettyString())
                .append("\n```\n");
        return md.toString();
    }

    /** The evidence source a parameter is read from. */
    private static String source(RunbookTemplate template, String parameter) {
        return template.parameters().stream().filter(p -> p.name().equals(parameter)).findFirst()
                .map(p -> "`" + p.from().source() + "`").orElse("");
    }

    /** Keeps a value to one table cell: no line breaks, no pipes. */
    private static String cell(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace("|", "\\|");
    }
}
