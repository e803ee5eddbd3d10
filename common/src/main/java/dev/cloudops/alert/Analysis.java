package dev.cloudops.alert;

import java.util.List;
import java.util.Objects;

/**
 * What an analyser concluded about a detected alert: the summary and report, the plan (canonical JSON,
 * null when no executable plan was found) and how many distinct approvals it needs. {@code runbookId} names the
 * learned runbook whose plan it proposes (analyser RUNBOOK only; null otherwise): a failed verification of that plan
 * demotes the runbook.
 */
public record Analysis(
        Analyzer analyzer,
        String agentSessionId,
        String summary,
        String reportKey,
        String reportUrl,
        String evidenceKey,
        String planJson,
        String planHash,
        int requiredApprovals,
        List<String> affectedServices,
        String estimatedImpact,
        String note,
        String runbookId) {

    public Analysis {
        Objects.requireNonNull(analyzer, "analyzer");
        Objects.requireNonNull(summary, "summary");
        if (requiredApprovals < 1) {
            throw new IllegalArgumentException("requiredApprovals must be at least 1, was " + requiredApprovals);
        }
        if ((planJson == null) != (planHash == null)) {
            throw new IllegalArgumentException("planJson and planHash come together");
        }
        affectedServices = affectedServices == null ? List.of() : List.copyOf(affectedServices);
        if (runbookId != null && analyzer != Analyzer.RUNBOOK) {
            throw new IllegalArgumentException("only a runbook's proposal names a runbook");
        }
    }

    /** An analysis that no learned runbook proposed. */
    public Analysis(Analyzer analyzer, String agentSessionId, String summary, String reportKey, String reportUrl,
            String evidenceKey, String planJson, String planHash, int requiredApprovals, List<String> affectedServices,
            String estimatedImpact, String note) {
        this(analyzer, agentSessionId, summary, reportKey, reportUrl, evidenceKey, planJson, planHash,
                requiredApprovals, affectedServices, estimatedImpact, note, null);
    }
}
