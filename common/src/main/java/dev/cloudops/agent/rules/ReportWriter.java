package dev.cloudops.agent.rules;

import dev.cloudops.agent.Incident;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;

/** Writes a diagnosis as the report every analyser writes: six sections and the plan as one JSON block. */
final class ReportWriter {

    private ReportWriter() {
    }

    static String write(Incident incident, EvidencePack evidence, Diagnosis d) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(incident.issueType()).append(" on ").append(incident.host()).append('\n').append('\n');
        md.append("## Executive Summary\n\n").append(d.title()).append(". ").append(d.rootCause()).append(' ')
                .append(d.plan() == null ? "No executable plan: the actions below are for a person."
                        : "The plan below needs approval before anything changes.")
                .append("\n\n");
        md.append("## Detailed Investigation\n\n");
        md.append("- Probe: ").append(cell(incident.errorDetails())).append(" (").append(incident.url())
                .append(", ").append(incident.occurrences()).append(incident.occurrences() == 1 ? " occurrence" : " occurrences")
                .append(")\n");
        for (EvidenceItem item : evidence.items()) {
            md.append("- ").append(item.id()).append(" `").append(item.source()).append("` ")
                    .append(item.status() == dev.cloudops.evidence.EvidenceStatus.OK ? "" : "[" + item.status() + "] ")
                    .append(cell(item.summary())).append('\n');
        }
        md.append("\n## Root Cause\n\n").append(d.rootCause()).append("\n\n");
        md.append("## Critical Findings\n\n| # | Finding | Evidence | Severity |\n|---|---|---|---|\n");
        int n = 1;
        for (Diagnosis.Finding f : d.findings()) {
            md.append("| ").append(n++).append(" | ").append(cell(f.text())).append(" | ").append(f.evidenceId())
                    .append(" | ").append(f.severity()).append(" |\n");
        }
        md.append("\n## Immediate Actions\n\n");
        n = 1;
        for (String action : d.immediateActions()) {
            md.append(n++).append(". ").append(action).append('\n');
        }
        md.append("\n## Prevention\n\n");
        for (String p : d.prevention()) {
            md.append("- ").append(p).append('\n');
        }
        if (d.plan() != null) {
            md.append("\n## Remediation Plan\n\n```json\n").append(PlanJson.toJson(d.plan()).toPrettyString())
                    .append("\n```\n");
        }
        return md.toString();
    }

    /** Keeps a value to one table cell: no line breaks, no pipes. */
    private static String cell(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace("|", "\\|");
    }
}
