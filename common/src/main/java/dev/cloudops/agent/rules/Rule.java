package dev.cloudops.agent.rules;

import dev.cloudops.agent.Incident;
import java.util.Optional;

/**
 * One known failure of the site: recognises it in the incident and the evidence and explains it, or returns empty so
 * the next rule can try. Each rule is written in the family class of the component it is about.
 */
@FunctionalInterface
interface Rule {

    Optional<Diagnosis> diagnose(Incident incident, EvidenceReader evidence);
}
