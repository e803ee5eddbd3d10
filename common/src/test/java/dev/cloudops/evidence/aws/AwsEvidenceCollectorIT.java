package dev.cloudops.evidence.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The evidence pack read from WireMock speaking each service's real wire format (REST-XML and JSON 1.1). */
@ExtendWith(Emulators.class)
class AwsEvidenceCollectorIT {

    private static final Instant NOW = Instant.parse("2026-11-27T02:30:00Z");
    private static final String ACM_TARGET = "CertificateManager.DescribeCertificate";
    private static final String TRAIL_TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    private static final String CERT = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";

    private WireMockServer aws;
    private AwsClients clients;
    private AwsEvidenceCollector collector;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(URI.create(aws.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        collector = new AwsEvidenceCollector(clients.route53(), clients.cloudFront(), clients.acmForCloudFront(),
                clients.s3(), clients.cloudTrailForGlobalServices(), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofHours(24));
        stubCloudFrontAcmS3AndTrail();
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.stop();
    }

    @Test
    void collect_readsZoneRecordsDistributionCertificateBucketAndRecentChanges() {
        stubRoute53();

        EvidencePack pack = collector.collect("01JALERT", "Shop.Example.com");

        assertThat(pack.items()).extracting(EvidenceItem::id)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, pack.items().size()).mapToObj(i -> "E" + i).toList());
        assertThat(pack.items()).extracting(EvidenceItem::source).containsExactly(
                "route53:ListHostedZonesByName", "route53:ListResourceRecordSets", "cloudfront:GetDistribution",
                "acm:DescribeCertificate", "route53:ListResourceRecordSets", "s3:HeadBucket", "s3:GetBucketWebsite",
                "s3:GetPublicAccessBlock", "s3:GetBucketPolicyStatus", "cloudtrail:LookupEvents", "cloudtrail:LookupEvents",
                "cloudtrail:LookupEvents", "cloudtrail:LookupEvents");
        assertThat(pack.item("E1").orElseThrow().summary())
                .isEqualTo("public hosted zone example.com. (Z0123456789ABCDEFGHIJ) holds shop.example.com");
        assertThat(pack.item("E2").orElseThrow().summary())
                .isEqualTo("shop.example.com has A alias to d111111abcdef8.cloudfront.net.");
        EvidenceItem distribution = pack.item("E3").orElseThrow();
        assertThat(distribution.data().get("enabled").asBoolean()).isFalse();
        assertThat(distribution.data().get("etag").asText()).isEqualTo("E3ETAGEXAMPLE9");
        assertThat(distribution.summary()).contains("is DISABLED and Deployed", "shop-site.s3.eu-west-1.amazonaws.com");
        EvidenceItem certificate = pack.item("E4").orElseThrow();
        assertThat(certificate.data().get("days_left").asLong()).isEqualTo(12);
        assertThat(certificate.summary()).contains("ISSUED", "renewal PENDING_VALIDATION",
                "validation pending for [shop.example.com PENDING_VALIDATION]");
        assertThat(certificate.data().at("/validation/0/record_name").asText())
                .isEqualTo("_3639ac514e785e898d2646601fa951d5.shop.example.com.");
        EvidenceItem validation = pack.item("E5").orElseThrow();
        assertThat(validation.status()).as("the missing validation record, read by its name").isEqualTo(
                EvidenceStatus.NOT_FOUND);
        assertThat(validation.subject()).isEqualTo("Z0123456789ABCDEFGHIJ");
        assertThat(validation.data().get("host").asText())
                .isEqualTo("_3639ac514e785e898d2646601fa951d5.shop.example.com");
        assertThat(validation.data().get("records")).isEmpty();
        assertThat(pack.item("E6").orElseThrow().data().get("region").asText()).isEqualTo("eu-west-1");
        assertThat(pack.item("E7").orElseThrow().status()).isEqualTo(EvidenceStatus.NOT_FOUND);
        assertThat(pack.item("E7").orElseThrow().summary()).isEqualTo("shop-site: NoSuchWebsiteConfiguration");
        assertThat(pack.item("E8").orElseThrow().summary()).isEqualTo("bucket shop-site blocks all public access");
        assertThat(pack.item("E9").orElseThrow().summary()).isEqualTo("the policy of bucket shop-site is not public");
        assertThat(pack.item("E11").orElseThrow().subject()).isEqualTo("E2QWRUHAPOMQZL");
        assertThat(pack.item("E11").orElseThrow().summary())
                .startsWith("1 write event on E2QWRUHAPOMQZL in the last 24 h: [UpdateDistribution by alice at ");
        assertThat(pack.item("E10").orElseThrow().summary())
                .isEqualTo("no write events on Z0123456789ABCDEFGHIJ in the last 24 h");
        assertThat(pack.items()).allSatisfy(i -> assertThat(i.at()).isEqualTo(NOW));
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL_TARGET))
                .withRequestBody(matchingJsonPath("$.LookupAttributes[0].AttributeKey", equalTo("ResourceName"))));
    }

    @Test
    void collect_recordsHowRoutingRecordsAreChosen_geolocationAndLatency() {
        stubRoute53();
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset")).atPriority(1)
                .willReturn(xml("route53-rrset-geolocation.xml")));

        EvidencePack pack = collector.collect("01JALERT", "shop.example.com");

        JsonNode records = pack.item("E2").orElseThrow().data().get("records");
        assertThat(records).hasSize(3);
        assertThat(records.get(0).get("routing").toString())
                .isEqualTo("{\"set_identifier\":\"europe\",\"geolocation\":\"EU\"}");
        assertThat(records.get(1).at("/routing/geolocation").asText()).isEqualTo("*");
        assertThat(records.get(2).get("routing").toString())
                .isEqualTo("{\"set_identifier\":\"ireland\",\"latency_region\":\"eu-west-1\"}");
        assertThat(pack.item("E2").orElseThrow().data().at("/records/0/alias/dns_name").asText())
                .isEqualTo("d111111abcdef8.cloudfront.net.");
    }

    @Test
    void collect_keepsGoing_whenACallIsDeniedOrThrottled() {
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "text/xml")
                .withBody("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                        + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:"
                        + "assumed-role/cloudops-monitor/fn is not authorized to perform: route53:ListHostedZonesByName"
                        + "</Message></Error><RequestId>9f1b6a1e-0000-4000-8000-000000000001</RequestId></ErrorResponse>")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL_TARGET)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));

        EvidencePack pack = collector.collect("01JALERT", "shop.example.com");

        EvidenceItem zone = pack.item("E1").orElseThrow();
        assertThat(zone.status()).isEqualTo(EvidenceStatus.ACCESS_DENIED);
        assertThat(zone.summary()).startsWith("route53:ListHostedZonesByName failed: AccessDenied");
        assertThat(pack.bySource("cloudfront:GetDistribution").orElseThrow().status()).isEqualTo(EvidenceStatus.OK);
        assertThat(pack.items()).filteredOn(i -> i.source().equals("cloudtrail:LookupEvents"))
                .isNotEmpty().allSatisfy(i -> assertThat(i.status()).isEqualTo(EvidenceStatus.THROTTLED));
    }

    @Test
    void pack_isStoredAsJson_underEvidence(S3Emulator s3) throws IOException {
        stubRoute53();
        EvidencePack pack = collector.collect("01JALERT", "shop.example.com");
        s3.clients().s3().createBucket(b -> b.bucket("evidence-test"));
        S3ArtifactStore store = new S3ArtifactStore(s3.clients().s3(), s3.clients().s3Presigner(), "evidence-test",
                Duration.ofMinutes(5), Optional.empty());

        String key = store.put(new Artifact(ArtifactKind.EVIDENCE, "01JALERT", pack.host(), NOW, pack.toJsonBytes()));

        JsonNode stored = new ObjectMapper().readTree(store.get(key).content());
        assertThat(key).isEqualTo("evidence/2026-11-27/shop.example.com/02-30-00-01JALERT.json");
        assertThat(stored.get("items")).hasSize(pack.items().size());
        assertThat(stored.at("/items/2/data/enabled").asBoolean()).isFalse();
        assertThat(stored.at("/items/0/source").asText()).isEqualTo("route53:ListHostedZonesByName");
    }

    private void stubRoute53() {
        aws.stubFor(get(urlEqualTo("/2013-04-01/hostedzonesbyname?dnsname=shop.example.com&maxitems=100"))
                .willReturn(xml("route53-hostedzonesbyname-shop.xml")));
        aws.stubFor(get(urlEqualTo("/2013-04-01/hostedzonesbyname?dnsname=example.com&maxitems=100"))
                .willReturn(xml("route53-hostedzonesbyname-example.xml")));
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset"))
                .willReturn(xml("route53-rrset.xml")));
    }

    private void stubCloudFrontAcmS3AndTrail() {
        aws.stubFor(get(urlPathEqualTo("/2020-05-31/distribution")).willReturn(xml("cloudfront-list-distributions.xml")));
        aws.stubFor(get(urlPathEqualTo("/2020-05-31/distribution/E2QWRUHAPOMQZL"))
                .willReturn(xml("cloudfront-get-distribution.xml").withHeader("ETag", "E3ETAGEXAMPLE9")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ACM_TARGET))
                .withRequestBody(matchingJsonPath("$.CertificateArn", equalTo(CERT)))
                .willReturn(json("acm-describe-certificate.json")));
        aws.stubFor(head(urlPathEqualTo("/shop-site")).willReturn(aResponse().withStatus(200)
                .withHeader("x-amz-bucket-region", "eu-west-1")));
        aws.stubFor(get(urlMatching("/shop-site\\?website.*")).willReturn(xml("s3-no-website.xml").withStatus(404)));
        aws.stubFor(get(urlMatching("/shop-site\\?publicAccessBlock.*")).willReturn(xml("s3-public-access-block.xml")));
        aws.stubFor(get(urlMatching("/shop-site\\?policyStatus.*")).willReturn(xml("s3-policy-status.xml")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL_TARGET)).atPriority(5)
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Events\":[]}")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL_TARGET)).atPriority(2)
                .withRequestBody(matchingJsonPath("$.LookupAttributes[0].AttributeValue", equalTo("E2QWRUHAPOMQZL")))
                .willReturn(json("cloudtrail-lookup-distribution.json")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(String file) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(resource(file));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String file) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(resource(file));
    }

    private static String resource(String file) {
        try (InputStream in = AwsEvidenceCollectorIT.class.getResourceAsStream("/aws/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
