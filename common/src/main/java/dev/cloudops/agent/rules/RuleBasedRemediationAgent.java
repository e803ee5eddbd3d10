package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.PlanSteps.manualPlan;
import static dev.cloudops.agent.rules.PlanSteps.zonePermission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.CertificateNames;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic analyser: maps the probe result and the evidence to the common failures of a
 * Route 53 + CloudFront + ACM + S3 site, and writes the same report and plan as the Bedrock agent.
 * What it cannot explain it says so, with the evidence, and never invents a cause. Text from the
 * probed site is only ever quoted, never followed.
 */
public final class RuleBasedRemediationAgent implements RemediationAgent {

    /** The hosted zone id of every CloudFront alias target. */
    static final String CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2";
    private static final Pattern STATUS = Pattern.compile("answered (\\d{3})");
    private static final Pattern S3_ORIGIN =
            Pattern.compile("^(.+?)\\.s3(?:-website)?(?:[.-][a-z0-9-]+)?\\.amazonaws\\.com$");

    @Override
    public AgentReport analyze(Incident incident, EvidencePack evidence) {
        EvidenceReader facts = new EvidenceReader(evidence);
        Diagnosis d = diagnose(incident, facts);
        return new AgentReport(Analyzer.RULES, null, ReportWriter.write(incident, evidence, d), 0, 0,
                d.affectedServices(), d.estimatedImpact(), null);
    }

    private Diagnosis diagnose(Incident incident, EvidenceReader f) {
        return missingRecord(incident, f)
                .or(() -> wrongAliasTarget(incident, f))
                .or(() -> deploying(f))
                .or(() -> disabled(f))
                .or(() -> renewalBlocked(incident, f))
                .or(() -> certificateNotCoveringHost(incident, f))
                .or(() -> originAccessDenied(incident, f))
                .or(() -> errorsAfterChange(incident, f))
                .or(() -> timeoutWithoutFault(incident, f))
                .or(() -> certificateRunningOutSeenByProbe(incident, f))
                .or(() -> serverErrorSeenByProbe(incident, f))
                .or(() -> lookupFailureSeenByProbe(incident, f))
                .orElseGet(() -> notDiagnosed(incident, f));
    }

    // 1. NXDOMAIN and the host's record is missing from its zone.
    private Optional<Diagnosis> missingRecord(Incident incident, EvidenceReader f) {
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

    // 2. The record aliases a distribution that is gone or is not the one serving the host.
    private Optional<Diagnosis> wrongAliasTarget(Incident incident, EvidenceReader f) {
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

    // 3. The distribution is still deploying a change.
    private Optional<Diagnosis> deploying(EvidenceReader f) {
        return f.ok("cloudfront:GetDistribution")
                .filter(d -> "InProgress".equalsIgnoreCase(d.data().get("status").asText()))
                .map(d -> new Diagnosis("The CloudFront distribution is still deploying",
                        "Distribution " + d.data().get("id").asText() + " is InProgress since "
                                + d.data().get("last_modified").asText() + "; edge locations may serve the old or a "
                                + "partial configuration until it is Deployed.",
                        List.of(new Diagnosis.Finding("Distribution status InProgress", d.id(), "medium")),
                        List.of("Wait for the distribution to reach Deployed (usually minutes), then probe again."),
                        List.of("Deploy distribution changes outside peak hours and watch their status."),
                        manualPlan("Wait until distribution " + d.data().get("id").asText()
                                + " is Deployed, then check the site again; change nothing while it deploys."),
                        List.of("CloudFront"), "Some visitors may see errors until the deployment finishes."));
    }

    // 4. The distribution is disabled.
    private Optional<Diagnosis> disabled(EvidenceReader f) {
        return f.ok("cloudfront:GetDistribution").filter(d -> !d.data().get("enabled").asBoolean()).map(d -> {
            String id = d.data().get("id").asText();
            Plan plan = new Plan("Re-enable distribution " + id + ".", List.of(
                    new PlanStep("S1", new Action.SetEnabled(id, true),
                            Precondition.of(d.id(), Map.of("enabled", "false", "etag", d.data().get("etag").asText())),
                            new Inverse.Undo(new Action.SetEnabled(id, false)), Risk.MEDIUM,
                            new Permission("cloudfront:UpdateDistribution", d.data().get("arn").asText()))));
            return new Diagnosis("The CloudFront distribution is disabled",
                    "Distribution " + id + " that serves the site is disabled, so CloudFront refuses its requests.",
                    List.of(new Diagnosis.Finding("Distribution " + id + " is disabled", d.id(), "critical")),
                    List.of("Enable distribution " + id + " and wait until it is Deployed."),
                    List.of("Restrict cloudfront:UpdateDistribution on production distributions to the deploy role."),
                    plan, List.of("CloudFront"), "The site is down for everyone.");
        });
    }

    // 5. The certificate is expired or expiring and ACM cannot renew it: its DNS validation is pending.
    private Optional<Diagnosis> renewalBlocked(Incident incident, EvidenceReader f) {
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

    // 6. The certificate served does not cover the host name.
    private Optional<Diagnosis> certificateNotCoveringHost(Incident incident, EvidenceReader f) {
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

    // 7. CloudFront gets 403 AccessDenied from its S3 origin.
    private Optional<Diagnosis> originAccessDenied(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.HTTP_ERROR || status(incident) != 403) {
            return Optional.empty();
        }
        Optional<EvidenceItem> distribution = f.ok("cloudfront:GetDistribution");
        Optional<String> bucket = distribution.flatMap(d -> {
            for (JsonNode o : d.data().path("origins")) {
                Matcher m = S3_ORIGIN.matcher(o.path("domain_name").asText());
                if (m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
            return Optional.empty();
        });
        if (bucket.isEmpty()) {
            return Optional.empty();
        }
        String oac = distribution.get().data().at("/origins/0/origin_access_control_id").asText("");
        List<Diagnosis.Finding> findings = new ArrayList<>(List.of(new Diagnosis.Finding(
                "The distribution reads from S3 bucket " + bucket.get() + (oac.isEmpty() ? " without an origin access "
                        + "control" : " through origin access control " + oac), distribution.get().id(), "high")));
        f.ok("s3:GetBucketPolicyStatus").ifPresent(p -> findings.add(new Diagnosis.Finding(p.summary(), p.id(), "info")));
        f.ok("s3:GetPublicAccessBlock").ifPresent(p -> findings.add(new Diagnosis.Finding(p.summary(), p.id(), "info")));
        f.any("s3:HeadBucket").filter(h -> h.status() != EvidenceStatus.OK).ifPresent(h -> findings.add(
                new Diagnosis.Finding(h.summary(), h.id(), "critical")));
        String instructions = "Check the bucket policy of " + bucket.get() + ": it must allow s3:GetObject to the "
                + "CloudFront service principal for distribution " + distribution.get().data().get("id").asText()
                + (oac.isEmpty() ? " (the origin has no origin access control: add one)" : " (via OAC " + oac + ")")
                + ", and the objects must exist.";
        return Optional.of(new Diagnosis("CloudFront is denied access to its S3 origin",
                "The site answers 403: CloudFront cannot read bucket " + bucket.get()
                        + "; the bucket policy or the origin access control does not grant it.",
                findings, List.of(instructions), List.of("Manage the bucket policy and the OAC in one stack."),
                manualPlan(instructions), List.of("CloudFront", "S3"), "Visitors get 403 errors."));
    }

    // 8. 5xx after a recent change to one of the resources.
    private Optional<Diagnosis> errorsAfterChange(Incident incident, EvidenceReader f) {
        int status = status(incident);
        if (incident.issueType() != IssueType.HTTP_ERROR || status < 500) {
            return Optional.empty();
        }
        for (EvidenceItem trail : f.pack().items()) {
            if (trail.source().equals("cloudtrail:LookupEvents") && trail.status() == EvidenceStatus.OK
                    && trail.data().path("events").size() > 0) {
                JsonNode event = trail.data().path("events").get(0);
                String change = event.path("name").asText() + " by " + event.path("user").asText() + " at "
                        + event.path("time").asText() + " on " + trail.subject();
                return Optional.of(new Diagnosis("The site fails since a recent change",
                        "The site answers " + status + " and the last write to " + trail.subject() + " was " + change
                                + "; the change is the most likely cause.",
                        List.of(new Diagnosis.Finding("Recent change: " + change, trail.id(), "high")),
                        List.of("Review and roll back " + change + "."),
                        List.of("Deploy changes through a pipeline with a health check and automatic rollback."),
                        manualPlan("Roll back " + change + " (CloudTrail event " + event.path("event_id").asText()
                                + "), then check the site."),
                        List.of(serviceOf(event.path("source").asText())), "Visitors get " + status + " errors."));
            }
        }
        return Optional.empty();
    }

    // 9. A timeout with nothing wrong on the AWS side.
    private Optional<Diagnosis> timeoutWithoutFault(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.TIMEOUT) {
            return Optional.empty();
        }
        Optional<EvidenceItem> distribution = f.ok("cloudfront:GetDistribution")
                .filter(d -> d.data().get("enabled").asBoolean()
                        && "Deployed".equalsIgnoreCase(d.data().get("status").asText()));
        if (distribution.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Diagnosis("The site timed out with no fault found on the AWS side",
                "The distribution is enabled and deployed and nothing changed recently; the timeout is likely on the "
                        + "origin or the network path.",
                List.of(new Diagnosis.Finding(distribution.get().summary(), distribution.get().id(), "info")),
                List.of("Check the origin's health and latency, and CloudFront's origin latency metrics."),
                List.of("Alarm on CloudFront OriginLatency and 5xx rate."),
                manualPlan("Check the origin of distribution " + distribution.get().data().get("id").asText()
                        + " (health, latency, capacity) and the network path; nothing in the account looks wrong."),
                List.of("CloudFront"), "Visitors wait and may give up."));
    }

    private Diagnosis notDiagnosed(Incident incident, EvidenceReader f) {
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

    // 10. Only a probe was read (no account evidence): the certificate it was served runs out.
    private Optional<Diagnosis> certificateRunningOutSeenByProbe(Incident incident, EvidenceReader f) {
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

    // 11. Only a probe was read: the site answers with a server error.
    private Optional<Diagnosis> serverErrorSeenByProbe(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.HTTP_ERROR) {
            return Optional.empty();
        }
        return f.ok("probe:HTTP").filter(h -> h.data().path("status").asInt() >= 500).map(http -> {
            int status = http.data().path("status").asInt();
            JsonNode headers = http.data().path("headers");
            String edge = headers.path("x-cache").asText(headers.path("X-Cache").asText(""));
            String via = edge.isEmpty() ? "" : " (x-cache: " + edge + ")";
            return new Diagnosis(incident.host() + " answers HTTP " + status,
                    incident.host() + " answers " + status + via + ": the server or the origin behind the CDN fails. "
                            + "Only the probe was read, so the failing component is not known.",
                    List.of(new Diagnosis.Finding("HTTP " + status + via, http.id(), "high")),
                    List.of("Check the health and logs of the origin of " + incident.host() + "."),
                    List.of("Alarm on the origin's 5xx rate before visitors see it."),
                    manualPlan("Find why " + incident.url() + " answers " + status + via + ": check the origin's health "
                            + "and logs, then probe again."),
                    List.of("HTTP"), "Visitors get errors.");
        });
    }

    // 12. Only a probe was read: the name does not resolve, or the monitor's resolver cannot be asked.
    private Optional<Diagnosis> lookupFailureSeenByProbe(Incident incident, EvidenceReader f) {
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

    private static Optional<String> aliasTarget(JsonNode records) {
        for (JsonNode r : records.path("records")) {
            if (r.has("alias")) {
                return Optional.of(r.path("alias").path("dns_name").asText().toLowerCase(Locale.ROOT)
                        .replaceAll("\\.$", ""));
            }
        }
        return Optional.empty();
    }

    private static int status(Incident incident) {
        Matcher m = STATUS.matcher(incident.errorDetails());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }


    /** An instant from the evidence as a person reads it; the text as it is where it is not an instant. */
    private static String forPeople(String instant) {
        try {
            return Timestamps.forPeople(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String serviceOf(String eventSource) {
        return switch (eventSource) {
            case "cloudfront.amazonaws.com" -> "CloudFront";
            case "route53.amazonaws.com" -> "Route 53";
            case "s3.amazonaws.com" -> "S3";
            case "acm.amazonaws.com" -> "ACM";
            default -> eventSource;
        };
    }
}
