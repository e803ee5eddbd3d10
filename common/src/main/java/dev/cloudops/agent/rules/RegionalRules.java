package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.PlanSteps.manualPlan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.agent.Incident;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.probe.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules that read how the probe regions split (multi-region quorum): a layer failing from some regions while
 * others reach the site points at the path to it (a resolver, a routing policy, an edge), not at the site, and
 * nothing in the account is changed for it; a layer failing from every region that reported confirms that the site
 * itself is at fault, whatever rule explains it.
 */
final class RegionalRules {

    private RegionalRules() {
    }

    /** Failing from some regions only: the regions' path to the site, explained by the layer that fails. */
    static Optional<Diagnosis> failingFromSomeRegionsOnly(Incident incident, EvidenceReader f) {
        Optional<EvidenceItem> item = f.ok(RegionalSplit.SOURCE);
        Optional<RegionalSplit> split = item.flatMap(i -> RegionalSplit.fromData(i.data()));
        if (split.isEmpty() || !split.get().partial()) {
            return Optional.empty();
        }
        RegionalSplit s = split.get();
        String failing = String.join(", ", s.failing());
        String healthy = String.join(", ", s.healthy());
        String host = incident.host();
        List<Diagnosis.Finding> findings = new ArrayList<>();
        for (RegionalSplit.RegionResult r : s.regions()) {
            if (r.seen() == RegionalSplit.Seen.FAILING) {
                findings.add(new Diagnosis.Finding("From " + r.region() + ": " + r.classification() + " at the "
                        + r.layer() + " layer", item.get().id(), "high"));
            }
        }
        findings.add(new Diagnosis.Finding("From " + healthy + ": the site answers normally", item.get().id(), "info"));
        if (!s.silent().isEmpty()) {
            findings.add(new Diagnosis.Finding("No result within the quorum window from " + String.join(", ", s.silent()),
                    item.get().id(), "info"));
        }
        String impact = "Visitors whose traffic goes through " + failing + " may not reach " + host
                + "; visitors served like " + healthy + " can.";
        Layer layer = s.failingLayers().getFirst();
        return Optional.of(switch (layer) {
            case DNS -> dns(incident, f, s, findings, impact);
            case TCP -> new Diagnosis(host + " cannot be reached from " + failing + " only",
                    "Connections to " + host + " fail or time out from " + failing + " while " + healthy
                            + " connect: the site is up, so the network path from those regions is at fault (a "
                            + "regional outage, a route, or the edge location that serves them).",
                    findings, List.of("Check the AWS Health Dashboard for " + failing + " and CloudFront.",
                            "Connect to " + host + " from " + failing + " (e.g. with CloudShell there) and trace the "
                                    + "route."),
                    List.of("Keep probing from several regions so a path failure is not mistaken for an outage."),
                    manualPlan("Find why " + host + " cannot be reached from " + failing + " while " + healthy
                            + " reach it; nothing in the account is changed for a path problem."),
                    List.of("CloudFront"), impact);
            case TLS -> new Diagnosis("TLS to " + host + " fails from " + failing + " only",
                    "The TLS handshake fails from " + failing + " while " + healthy + " complete it: the edge "
                            + "locations serving those regions present a different certificate or configuration, "
                            + "e.g. a certificate or distribution change still propagating, or a regional endpoint "
                            + "with its own certificate.",
                    findings, List.of("Compare the certificate served to " + failing + " with the one served to "
                                    + healthy + " (openssl s_client -servername " + host + ").",
                            "Check for a distribution or certificate change in the last hour."),
                    List.of("Roll certificate changes out before the old certificate expires, so edges that lag "
                            + "still serve a valid one."),
                    manualPlan("Compare the certificates served to " + failing + " and to " + healthy + " and wait "
                            + "for, or finish, the change that is propagating; nothing is changed automatically."),
                    List.of("CloudFront", "ACM"), impact);
            case HTTP -> new Diagnosis(host + " answers errors to " + failing + " only",
                    "The site answers " + failing + " with errors (" + classifications(s) + ") while " + healthy
                            + " get a normal answer: a regional origin, a geographic restriction or a web ACL rule "
                            + "that applies to those regions is the likely cause.",
                    findings, List.of("Check the distribution's geographic restrictions and any WAF rules that match "
                                    + "on country or region.",
                            "If the site has an origin per region (latency routing), check the origin that serves "
                                    + failing + "."),
                    List.of("Probe each regional origin directly as well as through the edge."),
                    manualPlan("Find which regional origin, geographic restriction or WAF rule answers " + failing
                            + " with errors; nothing is changed automatically."),
                    List.of("CloudFront"), impact);
        });
    }

    private static Diagnosis dns(Incident incident, EvidenceReader f, RegionalSplit s,
            List<Diagnosis.Finding> findings, String impact) {
        String failing = String.join(", ", s.failing());
        String healthy = String.join(", ", s.healthy());
        String host = incident.host();
        Optional<EvidenceItem> records = f.ok("route53:ListResourceRecordSets");
        List<String> routed = records.map(r -> routedRecords(r.data())).orElse(List.of());
        if (!routed.isEmpty()) {
            findings.add(new Diagnosis.Finding(host + " is answered by routing records: " + String.join("; ", routed),
                    records.get().id(), "high"));
            return new Diagnosis(host + " does not resolve from " + failing + " only: a routing record",
                    "Resolvers in " + failing + " fail (" + classifications(s) + ") while " + healthy + " resolve "
                            + host + ", and the name is answered by routing records (" + String.join("; ", routed)
                            + "): the record that should answer those regions is missing or wrong, or the resolver "
                            + "there is at fault.",
                    findings, List.of("Check which record set answers " + failing + " (a geolocation default '*' "
                                    + "record, or a latency record for the region).",
                            "Query the hosted zone's name servers from " + failing + " for " + host + "."),
                    List.of("Keep a default geolocation record so no location is left without an answer."),
                    manualPlan("Check the routing records of " + host + " for the locations of " + failing
                            + " and add the missing answer by hand; the right target is a person's choice."),
                    List.of("Route 53"), impact);
        }
        return new Diagnosis(host + " does not resolve from " + failing + " only: a resolver",
                "Resolvers in " + failing + " fail (" + classifications(s) + ") while " + healthy + " resolve "
                        + host + " with the same records: the zone answers, so the resolver those regions use (or "
                        + "its cache of a recent change) is at fault, not the record.",
                findings, List.of("Query the hosted zone's name servers directly from " + failing + " for " + host
                                + ", then the resolver those probes use.",
                        "If the record changed recently, wait for its TTL to pass before changing it again."),
                List.of("Lower the record's TTL before planned changes so resolvers catch up sooner."),
                manualPlan("Find why resolvers in " + failing + " cannot resolve " + host + " while " + healthy
                        + " can; the records are not changed for it."),
                List.of("Route 53"), impact);
    }

    /**
     * {@code diagnosis}, with a finding on the regional split when there is one: failing from every region that
     * reported confirms the site itself is at fault; failing from some only, for a diagnosis from account evidence,
     * says the others still reach it (from resolvers' caches, until the records' TTL passes, or from edges that
     * have not yet taken a change).
     */
    static Diagnosis withSplit(Diagnosis diagnosis, EvidenceReader f) {
        Optional<EvidenceItem> item = f.ok(RegionalSplit.SOURCE);
        Optional<RegionalSplit> split = item.flatMap(i -> RegionalSplit.fromData(i.data()));
        if (split.isEmpty() || split.get().failing().isEmpty()
                || diagnosis.findings().stream().anyMatch(x -> x.evidenceId().equals(item.get().id()))) {
            return diagnosis;
        }
        RegionalSplit s = split.get();
        Diagnosis.Finding finding;
        if (s.failingEverywhereHeard()) {
            finding = new Diagnosis.Finding("Failing from every region that reported (" + String.join(", ", s.failing())
                    + "; " + classifications(s) + "): the site itself, not a path to it", item.get().id(), "high");
        } else if (s.partial()) {
            finding = new Diagnosis.Finding("Failing from " + String.join(", ", s.failing()) + " only; "
                    + String.join(", ", s.healthy()) + " still reach it, from cached answers or edges that have not "
                    + "taken the change yet", item.get().id(), "medium");
        } else {
            return diagnosis;
        }
        List<Diagnosis.Finding> findings = new ArrayList<>(diagnosis.findings());
        findings.add(finding);
        return new Diagnosis(diagnosis.title(), diagnosis.rootCause(), findings, diagnosis.immediateActions(),
                diagnosis.prevention(), diagnosis.plan(), diagnosis.affectedServices(), diagnosis.estimatedImpact());
    }

    /** The failing regions' classifications, each once, in region order. */
    private static String classifications(RegionalSplit s) {
        return String.join(", ", s.regions().stream().filter(r -> r.seen() == RegionalSplit.Seen.FAILING)
                .map(r -> r.classification().name()).distinct().toList());
    }

    /** The host's records that route by location, latency, weight or failover, described. */
    private static List<String> routedRecords(JsonNode data) {
        List<String> routed = new ArrayList<>();
        for (JsonNode r : data.path("records")) {
            JsonNode routing = r.path("routing");
            if (routing.isObject() && !routing.isEmpty()) {
                List<String> parts = new ArrayList<>();
                routing.properties().forEach(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
                routed.add(r.path("type").asText() + " " + String.join(", ", parts));
            }
        }
        return routed;
    }
}
