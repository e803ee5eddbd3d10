package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.PlanSteps.manualPlan;
import static dev.cloudops.agent.rules.PlanSteps.zonePermission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.CertificateNames;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules for certificates: renewal blocked by a missing ACM validation record, a certificate that does not cover
 * the host, and one a probe alone sees running out. They change when ACM or TLS checks do.
 */
final class CertificateRules {

    private CertificateRules() {
    }

    /** The certificate is expired or expiring and ACM cannot renew it: its DNS validation is pending. */
    static Optional<Diagnosis> renewalBlocked(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.CERT_EXPIRED && incident.issueType() != IssueType.CERT_EXPIRING
                && incident.issueType() != IssueType.TLS_ERROR) {
            return Optional.empty();
        }
        Optional<EvidenceItem> certificate = f.ok("acm:DescribeCertificate");
        Optional<String> zoneId = f.ok("route53:ListHostedZonesByName").map(z -> z.data().get("id").asText());
        if (certificate.isEmpty() || zoneId.isEmpty()) {
            return Optional.empty();
        }
        JsonNode pending = null;
        for (JsonNode v : certificate.get().data().path("validation")) {
            if (!"SUCCESS".equals(v.path("status").asText()) && v.hasNonNull("record_name")) {
                pending = v;
                break;
            }
        }
        if (pending == null) {
            return Optional.empty();
        }
        String name = pending.get("record_name").asText().replaceAll("\\.$", "");
        Action.RecordSet validation = new Action.RecordSet(zoneId.get(), name, pending.get("record_type").asText(),
                300L, List.of(pending.get("record_value").asText()), null);
        String arn = certificate.get().data().get("arn").asText();
        Plan plan = new Plan("Restore the DNS validation record so ACM can renew the certificate.", List.of(
                new PlanStep("S1", new Action.UpsertRecord(validation),
                        Precondition.of(certificate.get().id(), Map.of("validation_status",
                                pending.get("status").asText())),
                        new Inverse.Undo(new Action.DeleteRecord(validation)), Risk.LOW, zonePermission(zoneId.get())),
                new PlanStep("S2", new Action.ManualStep("Watch certificate " + arn + " in ACM: once the record "
                        + "resolves, renewal completes by itself and CloudFront serves the new certificate."),
                        null, new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null)));
        long days = certificate.get().data().path("days_left").asLong(0);
        return Optional.of(new Diagnosis("The certificate cannot renew: its DNS validation record is missing",
                "ACM renews certificate " + arn + " only while the validation CNAME " + name
                        + " resolves; validation is " + pending.get("status").asText() + ", so the certificate "
                        + (days < 0 ? "has expired" : "expires in " + Timestamps.days(days)) + ".",
                List.of(new Diagnosis.Finding("Validation " + pending.get("status").asText() + " for "
                                + pending.get("domain_name").asText(), certificate.get().id(), "critical"),
                        new Diagnosis.Finding("Certificate expires "
                                + forPeople(certificate.get().data().path("not_after").asText()),
                                certificate.get().id(), days < 0 ? "critical" : "high")),
                List.of("Recreate the CNAME " + name + " -> " + pending.get("record_value").asText() + ".",
                        "Confirm in ACM that renewal succeeds."),
                List.of("Never delete _acm validation records; keep them in infrastructure code.",
                        "Alarm on ACM DaysToExpiry below 30."),
                plan, List.of("ACM", "Route 53", "CloudFront"),
                days < 0 ? "Browsers refuse the site." : "Browsers will refuse the site when the certificate expires."));
    }

    /** The certificate served does not cover the host name. */
    static Optional<Diagnosis> certificateNotCoveringHost(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.TLS_ERROR || !incident.errorDetails().contains("does not cover")) {
            return Optional.empty();
        }
        Optional<EvidenceItem> certificate = f.ok("acm:DescribeCertificate");
        List<String> names = new ArrayList<>();
        certificate.ifPresent(c -> c.data().path("subject_alternative_names").forEach(n -> names.add(n.asText())));
        if (certificate.isPresent() && CertificateNames.covers(names, incident.host())) {
            return Optional.empty();
        }
        String evidenceId = certificate.map(EvidenceItem::id)
                .or(() -> f.any("acm:ListCertificates").map(EvidenceItem::id)).orElse(null);
        if (evidenceId == null) {
            return Optional.empty();
        }
        List<String> wanted = new ArrayList<>(names);
        wanted.remove(incident.host());
        Plan plan = new Plan("Request a certificate that covers " + incident.host() + ".", List.of(
                new PlanStep("S1", new Action.RequestCertificate(incident.host(), wanted),
                        Precondition.of(evidenceId, Map.of("covers_host", "false")),
                        new Inverse.Irreversible("a requested certificate is left unused; delete it by hand if unwanted"),
                        Risk.LOW, new Permission("acm:RequestCertificate", "*")),
                new PlanStep("S2", new Action.ManualStep("Create the DNS validation record ACM shows for the new "
                        + "certificate, wait until it is ISSUED, then attach it to the distribution."),
                        null, new Inverse.Irreversible("not executed: for a person"), Risk.MEDIUM, null)));
        return Optional.of(new Diagnosis("The certificate does not cover " + incident.host(),
                "The certificate served for " + incident.host() + " names only " + (names.isEmpty() ? "other hosts"
                        : String.join(", ", names)) + ", so browsers reject the connection.",
                List.of(new Diagnosis.Finding("Certificate names: " + names, evidenceId, "critical")),
                List.of("Issue a certificate for " + incident.host() + " and attach it to the distribution."),
                List.of("Add every alias of a distribution to its certificate before adding the alias."),
                plan, List.of("ACM", "CloudFront"), "Browsers refuse the site."));
    }

    /** Only a probe was read (no account evidence): the certificate it was served runs out. */
    static Optional<Diagnosis> certificateRunningOutSeenByProbe(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.CERT_EXPIRING && incident.issueType() != IssueType.CERT_EXPIRED) {
            return Optional.empty();
        }
        return f.ok("probe:TLS").map(tls -> {
            JsonNode c = tls.data();
            long days = c.path("days_left").asLong();
            String until = forPeople(c.path("not_after").asText());
            String when = days < 0 ? "expired on " + until : "expires in " + Timestamps.days(days) + ", on " + until;
            return new Diagnosis("The certificate of " + incident.host() + " " + (days < 0 ? "has expired" : "expires soon"),
                    "The certificate served for " + incident.host() + " (" + c.path("subject").asText() + ", issued by "
                            + c.path("issuer").asText() + ") " + when + ", and no renewal has replaced it. Only the "
                            + "probe was read: where the certificate is managed is not known.",
                    List.of(new Diagnosis.Finding("Certificate " + when, tls.id(), days < 0 ? "critical" : "high")),
                    List.of("Renew or replace the certificate of " + incident.host() + " before " + until + "."),
                    List.of("Renew certificates automatically (ACM or an ACME client) and alert 30 days ahead."),
                    manualPlan("Renew or replace the certificate served for " + incident.host() + " (" + when
                            + "), then check that the new one is served."),
                    List.of("TLS"), days < 0 ? "Browsers refuse the site." : "Browsers will refuse the site when it expires.");
        });
    }

    /** An instant from the evidence as a person reads it; the text as it is where it is not an instant. */
    private static String forPeople(String instant) {
        try {
            return Timestamps.forPeople(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
