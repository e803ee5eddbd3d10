package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.PlanSteps.manualPlan;
import static dev.cloudops.agent.rules.PlanSteps.zonePermission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rules for names that do not resolve or resolve to the wrong place: a missing record, an alias to the wrong or a
 * deleted distribution, and what a probe alone says about a failed lookup. They change when Route 53 or DNS does.
 */
final class DnsRules {

    /** The hosted zone id of every CloudFront alias target. */
    private static final String CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2";

    private DnsRules() {
    }

    /** NXDOMAIN and the host's record is missing from its zone. */
    static Optional<Diagnosis> missingRecord(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.DNS_FAILURE || !incident.errorDetails().contains("NXDOMAIN")) {
            return Optional.empty();
        }
        Optional<EvidenceItem> zone = f.ok("route53:ListHostedZonesByName");
        Optional<EvidenceItem> records = f.any("route53:ListResourceRecordSets")
                .filter(r -> r.status() == EvidenceStatus.NOT_FOUND);
        if (zone.isEmpty() || records.isEmpty()) {
            return Optional.empty();
        }
        String zoneId = zone.get().data().get("id").asText();
        Optional<EvidenceItem> distribution = f.ok("cloudfront:GetDistribution");
        List<Diagnosis.Finding> findings = new ArrayList<>(List.of(
                new Diagnosis.Finding("No record named " + incident.host() + " in zone " + zoneId,
                        records.get().id(), "critical")));
        if (distribution.isEmpty()) {
            findings.add(new Diagnosis.Finding("No CloudFront distribution serves " + incident.host(),
                    f.any("cloudfront:ListDistributions").map(EvidenceItem::id).orElse("-"), "high"));
            return Optional.of(new Diagnosis("The DNS record of " + incident.host() + " is missing",
                    "The hosted zone " + zoneId + " has no record for " + incident.host()
                            + ", so resolvers answer NXDOMAIN, and no distribution in this account serves the name.",
                    findings, List.of("Recreate the record for " + incident.host() + " pointing at the site's endpoint."),
                    List.of("Manage the zone's records in infrastructure code and review deletions."),
                    manualPlan("Recreate the DNS record for " + incident.host() + ": no CloudFront distribution in "
                            + "this account has it as an alias, so the right target must be chosen by a person."), List.of("Route 53"), "The site cannot be resolved by anyone."));
        }
        String target = distribution.get().data().get("domain_name").asText();
        Action.RecordSet alias = new Action.RecordSet(zoneId, incident.host(), "A", null, null,
                new Action.Alias(target, CLOUDFRONT_ZONE, false));
        findings.add(new Diagnosis.Finding("Distribution " + distribution.get().data().get("id").asText()
                + " has " + incident.host() + " as an alias and is served at " + target, distribution.get().id(), "info"));
        Plan plan = new Plan("Recreate the alias record " + incident.host() + " -> " + target + ".", List.of(
                new PlanStep("S1", new Action.UpsertRecord(alias),
                        Precondition.of(records.get().id(), Map.of("record", "absent")),
                        new Inverse.Undo(new Action.DeleteRecord(alias)), Risk.MEDIUM, zonePermission(zoneId))));
        return Optional.of(new Diagnosis("The DNS record of " + incident.host() + " is missing",
                "The hosted zone " + zoneId + " has no record for " + incident.host()
                        + ", so resolvers answer NXDOMAIN; the distribution that serves it is intact.",
                findings, List.of("Recreate the A alias record " + incident.host() + " -> " + target + "."),
                List.of("Manage the zone's records in infrastructure code and review deletions.",
                        "Alert on Route 53 ChangeResourceRecordSets that delete records of production names."),
                plan, List.of("Route 53", "CloudFront"), "The site cannot be resolved by anyone."));
    }

    /** The record aliases a distribution that is gone or is not the one serving the host. */
    static Optional<Diagnosis> wrongAliasTarget(Incident incident, EvidenceReader f) {
        Optional<EvidenceItem> records = f.ok("route53:ListResourceRecordSets");
        Optional<String> aliasTarget = records.flatMap(r -> aliasTarget(r.data()));
        if (aliasTarget.isEmpty() || !aliasTarget.get().endsWith(".cloudfront.net")) {
            return Optional.empty();
        }
        String zoneId = f.ok("route53:ListHostedZonesByName").map(z -> z.data().get("id").asText()).orElse(null);
        Optional<EvidenceItem> distribution = f.ok("cloudfront:GetDistribution");
        if (distribution.isPresent()) {
            String actual = distribution.get().data().get("domain_name").asText();
            if (actual.equalsIgnoreCase(aliasTarget.get()) || zoneId == null) {
                return Optional.empty();
            }
            Action.RecordSet wrong = new Action.RecordSet(zoneId, incident.host(), "A", null, null,
                    new Action.Alias(aliasTarget.get(), CLOUDFRONT_ZONE, false));
            Action.RecordSet right = new Action.RecordSet(zoneId, incident.host(), "A", null, null,
                    new Action.Alias(actual, CLOUDFRONT_ZONE, false));
            Plan plan = new Plan("Point " + incident.host() + " at the distribution that serves it.", List.of(
                    new PlanStep("S1", new Action.UpsertRecord(right),
                            Precondition.of(records.get().id(), Map.of("alias_target", aliasTarget.get())),
                            new Inverse.Undo(new Action.UpsertRecord(wrong)), Risk.MEDIUM, zonePermission(zoneId))));
            return Optional.of(new Diagnosis("The DNS record of " + incident.host() + " points at the wrong distribution",
                    "The record aliases " + aliasTarget.get() + ", but the distribution that has " + incident.host()
                            + " as an alias is served at " + actual + ".",
                    List.of(new Diagnosis.Finding("Record aliases " + aliasTarget.get(), records.get().id(), "critical"),
                            new Diagnosis.Finding("Distribution " + distribution.get().data().get("id").asText()
                                    + " serves " + incident.host() + " at " + actual, distribution.get().id(), "high")),
                    List.of("Update the alias of " + incident.host() + " to " + actual + "."),
                    List.of("Keep the record and the distribution in the same stack so they change together."),
                    plan, List.of("Route 53", "CloudFront"), "Visitors reach a distribution that does not serve the site."));
        }
        if (f.any("cloudfront:ListDistributions").filter(i -> i.status() == EvidenceStatus.NOT_FOUND).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Diagnosis("The DNS record of " + incident.host() + " points at a missing distribution",
                "The record aliases " + aliasTarget.get() + ", which no CloudFront distribution in this account serves "
                        + "(it was deleted, or belongs to another account).",
                List.of(new Diagnosis.Finding("Record aliases " + aliasTarget.get(), records.get().id(), "critical"),
                        new Diagnosis.Finding("No distribution has " + incident.host() + " as an alias",
                                f.any("cloudfront:ListDistributions").get().id(), "critical")),
                List.of("Restore or recreate the distribution for " + incident.host()
                        + ", or point the record at the site's current endpoint."),
                List.of("Protect production distributions from deletion (change review, SCP)."),
                manualPlan("Restore the CloudFront distribution for " + incident.host() + " (the record aliases "
                        + aliasTarget.get() + ", which no distribution in this account serves), then check the record."),
                List.of("Route 53", "CloudFront"), "The site is unreachable for everyone."));
    }

    /** Only a probe was read: the name does not resolve, or the monitor's resolver cannot be asked. */
    static Optional<Diagnosis> lookupFailureSeenByProbe(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.DNS_FAILURE || f.any("route53:ListHostedZonesByName").isPresent()) {
            return Optional.empty();
        }
        String host = incident.host();
        String details = incident.errorDetails();
        return f.ok("probe:Verdict").flatMap(verdict -> {
            Diagnosis.Finding finding = new Diagnosis.Finding(verdict.summary(), verdict.id(), "critical");
            String onlyProbe = " Only the probe was read, so where the name is managed is not known.";
            if (details.contains("(NXDOMAIN)")) {
                return Optional.of(new Diagnosis(host + " does not exist in DNS",
                        "The resolver answers that " + host + " does not exist (NXDOMAIN): its record, or the "
                                + "delegation of its zone from the parent, is missing." + onlyProbe,
                        List.of(finding),
                        List.of("Check that the hosted zone of " + host + " has a record for it, and that the parent "
                                + "zone delegates to the name servers that zone lists."),
                        List.of("Keep DNS records in infrastructure code, and alarm on Route 53 health checks."),
                        manualPlan("Restore the DNS record of " + host + " (or its zone's delegation), then probe "
                                + "again."), List.of("DNS"), "Nobody can reach the site: its name does not resolve."));
            }
            if (details.contains("SERVFAIL")) {
                return Optional.of(new Diagnosis("The name servers of " + host + " fail",
                        "The lookup of " + host + " ends in SERVFAIL: the zone's name servers do not answer properly, "
                                + "or DNSSEC validation fails (a DS record at the parent that no longer matches the "
                                + "zone's signing key)." + onlyProbe,
                        List.of(finding),
                        List.of("Ask the zone's name servers directly, and check the DS record at the parent against "
                                + "the zone's key-signing key."),
                        List.of("Rotate DNSSEC keys with the DS record in the same change; monitor the name servers."),
                        manualPlan("Find why the lookup of " + host + " fails (name servers, DNSSEC), then probe "
                                + "again."), List.of("DNS"), "Nobody can reach the site: its name does not resolve."));
            }
            if (details.contains("has no A or AAAA record")) {
                return Optional.of(new Diagnosis(host + " has no address record",
                        host + " exists in DNS but has no A or AAAA record, so it has no address to reach."
                                + onlyProbe,
                        List.of(finding),
                        List.of("Add the A/AAAA (or alias) record of " + host + "."),
                        List.of("Keep DNS records in infrastructure code."),
                        manualPlan("Add the address (or alias) record of " + host + ", then probe again."),
                        List.of("DNS"), "Nobody can reach the site: its name has no address."));
            }
            if (details.contains("cannot be asked") || details.contains("resolver refused")) {
                return Optional.of(new Diagnosis("The monitor's DNS resolver does not serve it",
                        "The lookup of " + host + " failed at the resolver the monitor asks, not at the site, so "
                                + "whether visitors can resolve " + host + " is not known.",
                        List.of(finding),
                        List.of("Check the resolvers the monitor is given (DNS_RESOLVERS, or --resolver), and that "
                                + "they answer from where it runs."),
                        List.of("Give the monitor more than one resolver."),
                        manualPlan("Fix the monitor's resolver setting (DNS_RESOLVERS or --resolver), then probe "
                                + host + " again."), List.of("DNS"), "Unknown: the monitor cannot look the name up."));
            }
            return Optional.empty();
        });
    }

    /** The target of the first alias record in the records read, lower-case and without the trailing dot. */
    private static Optional<String> aliasTarget(JsonNode records) {
        for (JsonNode r : records.path("records")) {
            if (r.has("alias")) {
                return Optional.of(r.path("alias").path("dns_name").asText().toLowerCase(Locale.ROOT)
                        .replaceAll("\\.$", ""));
            }
        }
        return Optional.empty();
    }
}
