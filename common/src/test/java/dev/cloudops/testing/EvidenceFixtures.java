package dev.cloudops.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.RegionalSplit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds evidence packs item by item, with the data shapes the AWS collector writes. */
public final class EvidenceFixtures {

    public static final String ZONE = "Z0123456789ABCDEFGHIJ";
    public static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    public static final String DOMAIN = "d111111abcdef8.cloudfront.net";
    public static final String CERT = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-27T02:30:00Z");

    private final List<EvidenceItem> items = new ArrayList<>();

    public EvidenceFixtures zone() {
        ObjectNode d = JSON.createObjectNode().put("id", ZONE).put("name", "example.com.");
        return add("route53:ListHostedZonesByName", ZONE, EvidenceStatus.OK, "public hosted zone example.com.", d);
    }

    public EvidenceFixtures noRecord() {
        ObjectNode d = JSON.createObjectNode();
        d.putArray("records");
        return add("route53:ListResourceRecordSets", ZONE, EvidenceStatus.NOT_FOUND, "no record named shop.example.com",
                d);
    }

    public EvidenceFixtures aliasRecord(String target) {
        ObjectNode d = JSON.createObjectNode();
        ObjectNode r = d.putArray("records").addObject().put("name", "shop.example.com.").put("type", "A");
        r.putObject("alias").put("dns_name", target + ".").put("hosted_zone_id", "Z2FDTNDATAQYW2")
                .put("evaluate_target_health", false);
        return add("route53:ListResourceRecordSets", ZONE, EvidenceStatus.OK, "shop.example.com has A alias", d);
    }

    /** The host answered by geolocation records: Europe and a default, both aliases to the distribution. */
    public EvidenceFixtures geolocationRecords(String target) {
        ObjectNode d = JSON.createObjectNode();
        var records = d.putArray("records");
        for (String[] location : new String[][] {{"europe", "EU"}, {"default", "*"}}) {
            ObjectNode r = records.addObject().put("name", "shop.example.com.").put("type", "A");
            r.putObject("routing").put("set_identifier", location[0]).put("geolocation", location[1]);
            r.putObject("alias").put("dns_name", target + ".").put("hosted_zone_id", "Z2FDTNDATAQYW2")
                    .put("evaluate_target_health", false);
        }
        return add("route53:ListResourceRecordSets", ZONE, EvidenceStatus.OK,
                "shop.example.com has A alias (geolocation EU); A alias (geolocation *)", d);
    }

    /** How the probe regions split, as the monitor adds it to the pack. */
    public EvidenceFixtures regions(RegionalSplit split) {
        items.add(split.toItem("E" + (items.size() + 1), AT));
        return this;
    }

    public EvidenceFixtures distribution(boolean enabled, String status, String domain, String origin, String oac) {
        ObjectNode d = JSON.createObjectNode().put("id", DISTRIBUTION)
                .put("arn", "arn:aws:cloudfront::123456789012:distribution/" + DISTRIBUTION)
                .put("status", status).put("enabled", enabled).put("domain_name", domain).put("etag", "E3ETAGEXAMPLE9")
                .put("last_modified", "2026-11-27T01:50:00Z");
        d.putArray("origins").addObject().put("id", "shop-origin").put("domain_name", origin)
                .put("origin_access_control_id", oac);
        return add("cloudfront:GetDistribution", DISTRIBUTION, EvidenceStatus.OK,
                "distribution " + DISTRIBUTION + " is " + (enabled ? "enabled" : "DISABLED") + " and " + status, d);
    }

    public EvidenceFixtures noDistribution() {
        return add("cloudfront:ListDistributions", "shop.example.com", EvidenceStatus.NOT_FOUND,
                "no CloudFront distribution has the alias shop.example.com", null);
    }

    public EvidenceFixtures certificate(String validationStatus, long daysLeft, String... names) {
        ObjectNode d = JSON.createObjectNode().put("arn", CERT).put("domain_name", names[0]).put("status", "ISSUED")
                .put("days_left", daysLeft).put("not_after", AT.plusSeconds(daysLeft * 86_400).toString());
        var sans = d.putArray("subject_alternative_names");
        for (String n : names) {
            sans.add(n);
        }
        d.putArray("validation").addObject().put("domain_name", names[0]).put("status", validationStatus)
                .put("record_name", "_3639ac514e785e898d2646601fa951d5." + names[0] + ".")
                .put("record_type", "CNAME")
                .put("record_value", "_98d0e76f4be8a3ea1d4cf1a3f4b3f1a1.mzlfeqexyx.acm-validations.aws.");
        return add("acm:DescribeCertificate", CERT, EvidenceStatus.OK, "certificate for " + names[0], d);
    }

    public EvidenceFixtures bucketPolicyNotPublic() {
        return add("s3:GetBucketPolicyStatus", "shop-site", EvidenceStatus.OK, "the policy of bucket shop-site is not public",
                JSON.createObjectNode().put("is_public", false));
    }

    public EvidenceFixtures change(String resource, String event, String user) {
        ObjectNode d = JSON.createObjectNode();
        d.putArray("events").addObject().put("time", "2026-11-27T01:50:00Z").put("name", event).put("user", user)
                .put("source", "cloudfront.amazonaws.com").put("event_id", "4a2f8c7e-9b1d-4e5f-a6c7-1234567890ab");
        return add("cloudtrail:LookupEvents", resource, EvidenceStatus.OK, "1 write event on " + resource, d);
    }

    public EvidenceFixtures quietTrail(String resource) {
        ObjectNode d = JSON.createObjectNode();
        d.putArray("events");
        return add("cloudtrail:LookupEvents", resource, EvidenceStatus.OK, "no write events on " + resource, d);
    }

    public EvidenceFixtures denied(String source) {
        return add(source, "x", EvidenceStatus.ACCESS_DENIED, source + " failed: AccessDenied", null);
    }

    public EvidencePack pack() {
        return new EvidencePack("01JALERT", "shop.example.com", AT, items);
    }

    private EvidenceFixtures add(String source, String subject, EvidenceStatus status, String summary, ObjectNode data) {
        items.add(new EvidenceItem("E" + (items.size() + 1), source, subject, AT, status, summary, data));
        return this;
    }
}
