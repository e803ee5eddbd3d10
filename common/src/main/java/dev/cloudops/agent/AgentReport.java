package dev.cloudops.agent;

import dev.cloudops.alert.Analyzer;
import java.util.List;
import java.util.Objects;

/**
 * An analyser's answer: the full report in markdown (the six sections and, where one was found, one
 * fenced JSON block with the plan), who wrote it, the agent session, token usage, and what the
 * analyser judged about impact.
 */
public record AgentReport(Analyzer analyzer, String sessionId, String markdown, long inputTokens, long outputTokens,
        List<String> affectedServices, String estimatedImpact, String fallbackReason) {

    public AgentReport {
        Objects.requireNonNull(analyzer, "analyzer");
        Objects.requireNonNull(markdown, "markdown");
        affectedServices = affectedServices == null ? List.of() : List.copyOf(affectedServices);
    }
}
