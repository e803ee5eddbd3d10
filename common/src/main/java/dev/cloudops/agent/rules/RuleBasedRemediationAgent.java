package dev.cloudops.agent.rules;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The deterministic analyser: maps the probe result and the evidence to the common failures of a
 * Route 53 + CloudFront + ACM + S3 site, and writes the same report and plan as the Bedrock agent.
 * What it cannot explain it says so, with the evidence, and never invents a cause. Text from the
 * probed site is only ever quoted, never followed.
 *
 * <p>This class only chooses: it asks the rules in a fixed order and takes the first diagnosis; the rules
 * themselves live in one class per failure family.
 */
public final class RuleBasedRemediationAgent implements RemediationAgent {

    /**
     * The rules, most specific first: the ones that read account evidence come before the ones that only have the
     * probe, and the first that recognises the failure explains it. A failure some probe regions see and others do
     * not, which no account evidence explains, is the path's: it comes before the rules that only have the probe.
     */
    private static final List<Rule> RULES = List.of(
            DnsRules::missingRecord,
            DnsRules::wrongAliasTarget,
            (incident, f) -> DistributionRules.deploying(f),
            (incident, f) -> DistributionRules.disabled(f),
            CertificateRules::renewalBlocked,
            CertificateRules::certificateNotCoveringHost,
            HttpErrorRules::originAccessDenied,
            HttpErrorRules::errorsAfterChange,
            RegionalRules::failingFromSomeRegionsOnly,
            DistributionRules::timeoutWithoutFault,
            CertificateRules::certificateRunningOutSeenByProbe,
            HttpErrorRules::serverErrorSeenByProbe,
            DnsRules::lookupFailureSeenByProbe);

    @Override
    public AgentReport analyze(Incident incident, EvidencePack evidence) {
        EvidenceReader facts = new EvidenceReader(evidence);
        Diagnosis d = diagnose(incident, facts);
        return new AgentReport(Analyzer.RULES, null, ReportWriter.write(incident, evidence, d), 0, 0,
                d.affectedServices(), d.estimatedImpact(), null);
    }

    private static Diagnosis diagnose(Incident incident, EvidenceReader f) {
        for (Rule rule : RULES) {
            Optional<Diagnosis> diagnosis = rule.diagnose(incident, f);
            if (diagnosis.isPresent()) {
                return RegionalRules.withSplit(diagnosis.get(), f);
            }
        }
        return RegionalRules.withSplit(notDiagnosed(incident, f), f);
    }

    /** No rule recognised the failure: list what could not be read, and leave it to a person. */
    private static Diagnosis notDiagnosed(Incident incident, EvidenceReader f) {
        List<Diagnosis.Finding> findings = new ArrayList<>();
        for (EvidenceItem item : f.pack().items()) {
            if (item.status() != EvidenceStatus.OK) {
                findings.add(new Diagnosis.Finding(item.summary(), item.id(), "unknown"));
            }
        }
        return new Diagnosis("Not diagnosed",
                "The rules found no known cause for " + incident.issueType() + " in the evidence; a person must look.",
                findings, List.of("Read the evidence above and the probe's details, and investigate by hand."),
                List.of("If this cause recurs, add a rule for it."), null, List.of(), "Unknown.");
    }
}
