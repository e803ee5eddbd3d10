package dev.cloudops.agent;

import dev.cloudops.evidence.EvidencePack;

/**
 * Finds a root cause and a remediation plan for an incident from its evidence. Implementations must
 * not change anything in the account: they read, and they write a report.
 */
public interface RemediationAgent {

    /**
     * Analyses the incident.
     *
     * @throws AgentUnavailableException when the analyser cannot answer (failure, timeout, throttling),
     *     so the caller can fall back to another
     */
    AgentReport analyze(Incident incident, EvidencePack evidence);
}
