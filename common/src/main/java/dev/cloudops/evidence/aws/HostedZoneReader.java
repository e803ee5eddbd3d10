package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.ZoneNames;
import dev.cloudops.evidence.aws.EvidenceReads.Observed;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Reads the host's side of Route 53: the public hosted zone that holds it (through {@link PublicZones}) and
 * its record sets there, whose alias target tells which CloudFront distribution the name points at.
 */
final class HostedZoneReader {

    private final Route53Client route53;

    HostedZoneReader(Route53Client route53) {
        this.route53 = route53;
    }

    /** Records the public zone holding {@code host} (the closest enclosing name); returns its id. */
    Optional<String> zoneId(EvidenceReads reads, String host) {
        List<String> tried = new ArrayList<>();
        for (String candidate : ZoneNames.candidates(host)) {
            tried.add(candidate);
            Optional<HostedZone> found = reads.read("route53:ListHostedZonesByName", candidate,
                    () -> PublicZones.named(route53, candidate),
                    null);
            if (reads.failedLast()) {
                return Optional.empty();
            }
            if (found.isPresent()) {
                HostedZone z = found.get();
                String id = z.id().replace("/hostedzone/", "");
                ObjectNode data = EvidenceReads.object();
                data.put("id", id);
                data.put("name", z.name());
                data.put("private", z.config().privateZone());
                data.put("record_count", z.resourceRecordSetCount());
                reads.add("route53:ListHostedZonesByName", id, EvidenceStatus.OK,
                        "public hosted zone " + z.name() + " (" + id + ") holds " + host, data);
                return Optional.of(id);
            }
        }
        reads.add("route53:ListHostedZonesByName", host, EvidenceStatus.NOT_FOUND,
                "no public hosted zone in this account for " + String.join(", ", tried), null);
        return Optional.empty();
    }

    /** Records the host's record sets; returns the alias target's DNS name when there is one. */
    Optional<String> aliasTarget(EvidenceReads reads, String zoneId, String host) {
        return records(reads, zoneId, host).flatMap(list -> list.stream().filter(r -> r.aliasTarget() != null)
                .map(r -> r.aliasTarget().dnsName().toLowerCase(Locale.ROOT).replaceAll("\\.$", ""))
                .findFirst());
    }

    /**
     * Records the record sets named {@code host} in the zone (none is a fact too: the item says the name was read);
     * returns them, empty when the read failed.
     */
    Optional<List<ResourceRecordSet>> records(EvidenceReads reads, String zoneId, String host) {
        return reads.read("route53:ListResourceRecordSets", zoneId,
                () -> Optional.of(route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId).startRecordName(host)
                        .maxItems("20")).resourceRecordSets().stream()
                        .filter(r -> r.name().equalsIgnoreCase(host + ".") || r.name().equalsIgnoreCase(host))
                        .toList()),
                found -> describeRecords(zoneId, host, found));
    }

    /**
     * How a record set is chosen among several of one name, when it is (a set identifier with geolocation, latency,
     * weighted or failover routing): which regions get which answer matters when only some regions fail.
     */
    private static Optional<ObjectNode> routing(ResourceRecordSet r) {
        if (r.setIdentifier() == null) {
            return Optional.empty();
        }
        ObjectNode routing = EvidenceReads.object();
        routing.put("set_identifier", r.setIdentifier());
        if (r.geoLocation() != null) {
            String location = Stream.of(r.geoLocation().continentCode(), r.geoLocation().countryCode(),
                    r.geoLocation().subdivisionCode()).filter(v -> v != null).collect(Collectors.joining("/"));
            routing.put("geolocation", location);
        }
        if (r.region() != null) {
            routing.put("latency_region", r.regionAsString());
        }
        if (r.weight() != null) {
            routing.put("weight", r.weight());
        }
        if (r.failover() != null) {
            routing.put("failover", r.failoverAsString());
        }
        return Optional.of(routing);
    }

    private static Observed describeRecords(String zoneId, String host, List<ResourceRecordSet> found) {
        ObjectNode data = EvidenceReads.object();
        data.put("host", host); // so an empty list says "no such record", not "not read"
        ArrayNode list = data.putArray("records");
        List<String> described = new ArrayList<>();
        for (ResourceRecordSet r : found) {
            ObjectNode node = list.addObject();
            node.put("name", r.name());
            node.put("type", r.typeAsString());
            routing(r).ifPresent(routing -> node.set("routing", routing));
            if (r.aliasTarget() != null) {
                ObjectNode alias = node.putObject("alias");
                alias.put("dns_name", r.aliasTarget().dnsName());
                alias.put("hosted_zone_id", r.aliasTarget().hostedZoneId());
                alias.put("evaluate_target_health", r.aliasTarget().evaluateTargetHealth());
                described.add(r.typeAsString() + " alias to " + r.aliasTarget().dnsName());
            } else {
                node.put("ttl", r.ttl());
                ArrayNode values = node.putArray("values");
                r.resourceRecords().forEach(v -> values.add(v.value()));
                described.add(r.typeAsString() + " " + r.resourceRecords().stream()
                        .map(v -> v.value()).toList());
            }
        }
        return new Observed(found.isEmpty() ? EvidenceStatus.NOT_FOUND : EvidenceStatus.OK,
                found.isEmpty() ? "no record named " + host + " in zone " + zoneId
                        : host + " has " + String.join("; ", described), data);
    }
}
