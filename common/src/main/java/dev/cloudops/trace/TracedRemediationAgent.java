package dev.cloudops.trace;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.evidence.EvidencePack;
import java.util.Objects;

/** An analyser whose every analysis is an {@code agent <analyzer>} subsegment, annotated with the alert and domain. */
public final class TracedRemediationAgent implements RemediationAgent {

    private final RemediationAgent agent;
    private final String analyzer;
    private final Tracing tracing;

    /** {@code analyzer} names it in the trace: {@code bedrock} or {@code rules}. */
    public TracedRemediationAgent(RemediationAgent agent, String analyzer, Tracing tracing) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    @Override
    public AgentReport analyze(Incident incident, EvidencePack evidence) {
        return tracing.subsegment("agent " + analyzer, span -> {
            span.annotate("alert_id", incident.alertId()).annotate("domain", incident.host())
                    .annotate("analyzer", analyzer);
            return agent.analyze(incident, evidence);
        });
    }
}
