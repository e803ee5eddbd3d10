package dev.cloudops.testing.edge;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.testing.MotoServer;
import java.util.List;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import java.util.Locale;
import java.util.UUID;

/**
 * One implementation of Route 53, CloudFront and ACM that an edge adapter's suite runs against: the project's
 * own {@link EdgeStandIn} (WireMock, stateful, written from the API references) and moto's server, written
 * independently of it. A suite is {@code @ParameterizedClass} with
 * {@code @MethodSource("dev.cloudops.testing.edge.EdgeEndpoint#all")} and {@code @ExtendWith(Emulators.class)};
 * each test runs once on each, seeded through the SDK the same way (hosted zones, records, distributions,
 * certificate requests). Tests keep apart by names of their own ({@link #uniqueDomain}): both servers are shared
 * by every test class of the JVM. What only one of them does (moto enforces no If-Match, does not check a
 * DELETE against the record as it is now) is asked of {@link #isMoto} and recorded in docs/testing.md.
 *
 * @param name how the run is named in reports: {@code stand-in} or {@code moto}
 * @param clients clients for the server (region us-east-1), closed with it
 */
public record EdgeEndpoint(String name, AwsClients clients) {

    /** The arguments of a suite parameterised by endpoint: the stand-in first, then moto. */
    public static List<EdgeEndpoint> all(EdgeStandIn standIn, MotoServer moto) {
        return List.of(new EdgeEndpoint("stand-in", standIn.clients()), new EdgeEndpoint("moto", moto.clients()));
    }

    public boolean isMoto() {
        return name.equals("moto");
    }

    /** A domain no other test uses, such as {@code t3f9a0c1d2e.example.com}. */
    public static String uniqueDomain() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT)
                + ".example.com";
    }

    /** Creates a public hosted zone; returns its bare id. */
    public String publicZone(String name) {
        return bare(clients.route53().createHostedZone(b -> b.name(name).callerReference(UUID.randomUUID().toString()))
                .hostedZone().id());
    }

    /** Creates a private hosted zone (of a made-up VPC); returns its bare id. */
    public String privateZone(String name) {
        return bare(clients.route53().createHostedZone(b -> b.name(name).callerReference(UUID.randomUUID().toString())
                .hostedZoneConfig(c -> c.privateZone(true)).vpc(v -> v.vpcId("vpc-0a1b2c3d").vpcRegion("us-east-1")))
                .hostedZone().id());
    }

    /** Creates one record set of values. */
    public void record(String zoneId, String name, String type, long ttl, String... values) {
        clients.route53().changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch
                .action(ChangeAction.CREATE).resourceRecordSet(r -> r.name(name).type(RRType.fromValue(type)).ttl(ttl)
                        .resourceRecords(java.util.Arrays.stream(values)
                                .map(v -> ResourceRecord.builder().value(v).build()).toList())))));
    }

    /** Creates an alias record set to a CloudFront distribution's domain name. */
    public void alias(String zoneId, String name, String distributionDomain) {
        clients.route53().changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch
                .action(ChangeAction.CREATE).resourceRecordSet(r -> r.name(name).type(RRType.A).aliasTarget(a -> a
                        .hostedZoneId(CLOUDFRONT_ZONE).dnsName(distributionDomain).evaluateTargetHealth(false))))));
    }

    /** The record sets of one name in a zone, as listed. */
    public List<ResourceRecordSet> records(String zoneId, String name) {
        String absolute = name.endsWith(".") ? name : name + ".";
        return clients.route53().listResourceRecordSetsPaginator(b -> b.hostedZoneId(zoneId)).resourceRecordSets()
                .stream().filter(r -> r.name().equalsIgnoreCase(absolute)).toList();
    }

    /**
     * Creates a distribution with one S3 origin, {@code alias} as its CNAME and {@code certificateArn} as its
     * viewer certificate; returns it as created (id, domain name).
     */
    public Distribution distribution(String alias, String originDomain, String certificateArn, boolean enabled) {
        DistributionConfig config = DistributionConfig.builder().callerReference(UUID.randomUUID().toString())
                .aliases(a -> a.quantity(1).items(alias)).comment("edge contract " + alias).enabled(enabled)
                .origins(o -> o.quantity(1).items(Origin.builder().id("site").domainName(originDomain)
                        .s3OriginConfig(s -> s.originAccessIdentity("")).build()))
                .defaultCacheBehavior(d -> d.targetOriginId("site").viewerProtocolPolicy("redirect-to-https")
                        .cachePolicyId("658327ea-f89d-4fab-a63d-7e88639e58f6"))
                .viewerCertificate(v -> v.acmCertificateArn(certificateArn).sslSupportMethod("sni-only")
                        .minimumProtocolVersion("TLSv1.2_2021"))
                .build();
        return clients.cloudFront().createDistribution(b -> b.distributionConfig(config)).distribution();
    }

    /** Requests a DNS-validated certificate; returns its ARN. */
    public String requestCertificate(String domain) {
        return clients.acmForCloudFront().requestCertificate(b -> b.domainName(domain).validationMethod("DNS"))
                .certificateArn();
    }

    /** CloudFront's hosted zone id, the one alias records to a distribution name. */
    public static final String CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2";

    private static String bare(String id) {
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    @Override
    public String toString() {
        return name;
    }
}
