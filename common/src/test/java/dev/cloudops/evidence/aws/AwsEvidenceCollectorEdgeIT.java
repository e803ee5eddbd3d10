package dev.cloudops.evidence.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.edge.EdgeEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;

/**
 * The Route 53, CloudFront and ACM reads of the evidence collector, on the edge stand-in and on moto, each
 * seeded through the SDK: zone, alias record, distribution and certificate request. (The WireMock-only
 * {@link AwsEvidenceCollectorIT} keeps what neither can be made to answer: denials, throttling, CloudTrail.)
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.edge.EdgeEndpoint#all")
@ExtendWith(Emulators.class)
class AwsEvidenceCollectorEdgeIT {

    @Parameter
    EdgeEndpoint endpoint;

    private AwsEvidenceCollector collector;
    private String domain;

    @BeforeEach
    void setUp() {
        var clients = endpoint.clients();
        collector = new AwsEvidenceCollector(clients.route53(), clients.cloudFront(), clients.acmForCloudFront(),
                clients.s3(), clients.cloudTrailForGlobalServices(), Clock.systemUTC(), Duration.ofHours(24));
        domain = EdgeEndpoint.uniqueDomain();
    }

    @Test
    void collect_readsTheZone_theAliasRecord_theDistributionItPointsTo_andItsCertificate() {
        String host = "shop." + domain;
        String zone = endpoint.publicZone(domain);
        endpoint.record(zone, "www." + domain, "A", 300, "192.0.2.10");
        String certificate = endpoint.requestCertificate(host);
        Distribution distribution = endpoint.distribution(host, "shop-site-" + zone.toLowerCase(Locale.ROOT)
                + ".s3.eu-west-1.amazonaws.com", certificate, false);
        endpoint.alias(zone, host, distribution.domainName());

        EvidencePack pack = collector.collect("01JEDGE", "Shop." + domain.toUpperCase(Locale.ROOT));

        EvidenceItem zoneItem = pack.bySource("route53:ListHostedZonesByName").orElseThrow();
        assertThat(zoneItem.status()).isEqualTo(EvidenceStatus.OK);
        assertThat(zoneItem.summary()).isEqualTo("public hosted zone " + domain + ". (" + zone + ") holds " + host);
        EvidenceItem records = pack.bySource("route53:ListResourceRecordSets").orElseThrow();
        assertThat(records.subject()).isEqualTo(zone);
        assertThat(records.data().get("records")).singleElement().satisfies(r -> {
            assertThat(r.get("name").asText()).isEqualTo(host + ".");
            assertThat(r.get("type").asText()).isEqualTo("A");
            assertThat(r.at("/alias/dns_name").asText().replaceAll("\\.$", ""))
                    .isEqualTo(distribution.domainName());
            assertThat(r.at("/alias/hosted_zone_id").asText()).isEqualTo(EdgeEndpoint.CLOUDFRONT_ZONE);
            assertThat(r.has("ttl")).isFalse();
        });
        EvidenceItem cdn = pack.bySource("cloudfront:GetDistribution").orElseThrow();
        assertThat(cdn.subject()).isEqualTo(distribution.id());
        assertThat(cdn.data().get("enabled").asBoolean()).isFalse();
        assertThat(cdn.data().get("etag").asText()).isNotBlank();
        assertThat(cdn.data().get("aliases")).extracting(a -> a.asText()).containsExactly(host);
        assertThat(cdn.data().at("/viewer_certificate/acm_certificate_arn").asText()).isEqualTo(certificate);
        assertThat(cdn.summary()).contains("is DISABLED", "shop-site-");
        EvidenceItem cert = pack.bySource("acm:DescribeCertificate").orElseThrow();
        assertThat(cert.subject()).isEqualTo(certificate);
        assertThat(cert.data().get("status").asText()).isEqualTo("PENDING_VALIDATION");
        assertThat(cert.data().get("domain_name").asText()).isEqualTo(host);
        assertThat(cert.data().at("/validation/0/record_type").asText()).isEqualTo("CNAME");
        assertThat(cert.data().at("/validation/0/record_name").asText()).startsWith("_").endsWith("." + host + ".");
        assertThat(cert.summary()).contains("validation pending for [" + host + " PENDING_VALIDATION]");
    }

    @Test
    void aHostWithoutARecord_isReadAsNoSuchRecord_andACertificateIsLookedUpByName() {
        String host = "api." + domain;
        String zone = endpoint.publicZone(domain);
        endpoint.record(zone, "www." + domain, "A", 300, "192.0.2.10");
        String certificate = endpoint.requestCertificate(host);

        EvidencePack pack = collector.collect("01JEDGE", host);

        EvidenceItem records = pack.bySource("route53:ListResourceRecordSets").orElseThrow();
        assertThat(records.status()).isEqualTo(EvidenceStatus.NOT_FOUND);
        assertThat(records.summary()).isEqualTo("no record named " + host + " in zone " + zone);
        assertThat(pack.bySource("cloudfront:ListDistributions").orElseThrow().status())
                .isEqualTo(EvidenceStatus.NOT_FOUND);
        assertThat(pack.bySource("acm:DescribeCertificate").orElseThrow().subject()).isEqualTo(certificate);
    }

    @Test
    void thePublicZone_isFound_amongPrivateZonesOfTheSameName() {
        endpoint.privateZone(domain);
        endpoint.privateZone(domain);
        String zone = endpoint.publicZone(domain);
        endpoint.privateZone(domain);

        EvidencePack pack = collector.collect("01JEDGE", "shop." + domain);

        assertThat(pack.bySource("route53:ListHostedZonesByName").orElseThrow().subject()).isEqualTo(zone);
        assertThat(PublicZones.named(endpoint.clients().route53(), domain, "1")).map(HostedZone::id)
                .hasValue("/hostedzone/" + zone);
    }

    /**
     * Route 53 answers {@code MaxItems} zones a page and says where the next begins; moto answers every zone of
     * the name at once. Asserted per endpoint so a change in either is noticed here.
     */
    @Test
    void listHostedZonesByName_pagesByMaxItems_onTheStandInAsRoute53Does_whileMotoIgnoresIt() {
        endpoint.privateZone(domain);
        endpoint.publicZone(domain);

        ListHostedZonesByNameResponse first = endpoint.clients().route53()
                .listHostedZonesByName(b -> b.dnsName(domain).maxItems("1"));

        if (endpoint.isMoto()) {
            assertThat(first.hostedZones()).hasSize(2);
            assertThat(first.isTruncated()).isNotEqualTo(Boolean.TRUE);
        } else {
            assertThat(first.hostedZones()).hasSize(1);
            assertThat(first.isTruncated()).isTrue();
            assertThat(first.nextDNSName()).isEqualTo(domain + ".");
            assertThat(first.nextHostedZoneId()).isNotBlank();
        }
    }

    @Test
    void noPublicZone_isNotFound_whenOnlyAPrivateZoneHasTheName() {
        endpoint.privateZone(domain);

        EvidencePack pack = collector.collect("01JEDGE", "shop." + domain);

        EvidenceItem zoneItem = pack.items().getFirst();
        assertThat(zoneItem.source()).isEqualTo("route53:ListHostedZonesByName");
        assertThat(zoneItem.status()).isEqualTo(EvidenceStatus.NOT_FOUND);
        assertThat(zoneItem.summary()).startsWith("no public hosted zone in this account for shop." + domain + ", "
                + domain);
        assertThat(pack.bySource("route53:ListResourceRecordSets")).isEmpty();
    }
}
