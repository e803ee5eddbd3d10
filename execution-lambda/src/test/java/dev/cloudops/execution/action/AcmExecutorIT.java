package dev.cloudops.execution.action;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** acm.request_certificate against WireMock speaking ACM (JSON) and Route 53 (REST-XML). */
class AcmExecutorIT {

    private static final String ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private final WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private AwsClients clients;
    private AcmExecutor executor;

    @BeforeEach
    void start() {
        aws.start();
        clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.of(URI.create(aws.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        executor = new AcmExecutor(clients.acmForCloudFront(), clients.route53(), Clock.systemUTC(),
                Duration.ofSeconds(5), Duration.ofMillis(100));
        acm("ListCertificates", "{\"CertificateSummaryList\":[{\"CertificateArn\":\"arn:aws:acm:us-east-1:123456789012:"
                + "certificate/old\",\"DomainName\":\"www.example.com\",\"SubjectAlternativeNameSummaries\":"
                + "[\"www.example.com\"],\"Status\":\"ISSUED\"}]}");
        acm("RequestCertificate", "{\"CertificateArn\":\"" + ARN + "\"}");
        acm("DescribeCertificate", "{\"Certificate\":{\"CertificateArn\":\"" + ARN + "\",\"DomainName\":"
                + "\"shop.example.com\",\"Status\":\"PENDING_VALIDATION\",\"DomainValidationOptions\":[{\"DomainName\":"
                + "\"shop.example.com\",\"ValidationDomain\":\"shop.example.com\",\"ValidationStatus\":"
                + "\"PENDING_VALIDATION\",\"ValidationMethod\":\"DNS\",\"ResourceRecord\":{\"Name\":"
                + "\"_3639ac514e785e898d2646601fa951d5.shop.example.com.\",\"Type\":\"CNAME\",\"Value\":"
                + "\"_98d0e76f4be8a3ea1d4cf1a3f4b3f1a1.mzlfeqexyx.acm-validations.aws.\"}}]}}");
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).willReturn(aResponse()
                .withHeader("Content-Type", "text/xml").withBody("<ListHostedZonesByNameResponse xmlns=\""
                        + "https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones><HostedZone><Id>/hostedzone/"
                        + "Z0123456789ABCDEFGHIJ</Id><Name>example.com.</Name><CallerReference>x</CallerReference>"
                        + "<Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>7"
                        + "</ResourceRecordSetCount></HostedZone></HostedZones><DNSName>shop.example.com</DNSName>"
                        + "<IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>")));
        aws.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset/")).willReturn(aResponse()
                .withHeader("Content-Type", "text/xml").withBody("<ChangeResourceRecordSetsResponse xmlns=\""
                        + "https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo><Id>/change/C1</Id><Status>"
                        + "PENDING</Status><SubmittedAt>2026-11-27T05:30:00.000Z</SubmittedAt></ChangeInfo>"
                        + "</ChangeResourceRecordSetsResponse>")));
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.stop();
    }

    @Test
    void requestCertificate_requestsDnsValidation_thenUpsertsTheValidationRecord() {
        PlanStep step = new PlanStep("S1", new Action.RequestCertificate("shop.example.com", List.of()),
                Precondition.of("E3", Map.of("covers_host", "false")),
                new Inverse.Irreversible("a requested certificate is left unused"), Risk.LOW,
                new Permission("acm:RequestCertificate", "*"));

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JALERT", step, before);

        assertThat(before.facts()).containsEntry("covers_host", "false");
        assertThat(applied.reversible()).isFalse();
        assertThat(applied.calls()).extracting(CallRecord::api).containsExactly("acm:RequestCertificate",
                "acm:DescribeCertificate", "route53:ChangeResourceRecordSets");
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("CertificateManager.RequestCertificate"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.ValidationMethod",
                        equalTo("DNS")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.IdempotencyToken",
                        equalTo("01JALERTS1"))));
        String change = aws.findAll(postRequestedFor(urlEqualTo("/2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset/")))
                .getFirst().getBodyAsString();
        assertThat(change).contains("<Action>UPSERT</Action>", "_3639ac514e785e898d2646601fa951d5.shop.example.com.",
                "<Type>CNAME</Type>", "_98d0e76f4be8a3ea1d4cf1a3f4b3f1a1.mzlfeqexyx.acm-validations.aws.");
    }

    @Test
    void theValidationRecordGoesToTheNearestZoneAbove_foundLabelByLabel_whateverTheZoneIdLooksLike() {
        // Asked from "www.shop.example.com", Route 53 lists the zones that sort after it, not the one above it.
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).atPriority(1)
                .withQueryParam("dnsname", equalTo("www.shop.example.com")).willReturn(zones("zz-shop.example.org.",
                        "Z9OTHERZONE")));
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).atPriority(1)
                .withQueryParam("dnsname", equalTo("shop.example.com")).willReturn(zones("zz-shop.example.org.",
                        "Z9OTHERZONE")));
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).atPriority(1)
                .withQueryParam("dnsname", equalTo("example.com")).willReturn(zones("example.com.", "04321ABCDEFG")));
        aws.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/04321ABCDEFG/rrset/")).willReturn(aResponse()
                .withHeader("Content-Type", "text/xml").withBody("<ChangeResourceRecordSetsResponse xmlns=\""
                        + "https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo><Id>/change/C2</Id><Status>"
                        + "PENDING</Status><SubmittedAt>2026-11-27T05:30:00.000Z</SubmittedAt></ChangeInfo>"
                        + "</ChangeResourceRecordSetsResponse>")));
        acm("DescribeCertificate", "{\"Certificate\":{\"CertificateArn\":\"" + ARN + "\",\"DomainName\":"
                + "\"www.shop.example.com\",\"Status\":\"PENDING_VALIDATION\",\"DomainValidationOptions\":[{"
                + "\"DomainName\":\"www.shop.example.com\",\"ValidationStatus\":\"PENDING_VALIDATION\","
                + "\"ResourceRecord\":{\"Name\":\"_a1.www.shop.example.com.\",\"Type\":\"CNAME\",\"Value\":"
                + "\"_b2.acm-validations.aws.\"}}]}}");
        PlanStep step = new PlanStep("S1", new Action.RequestCertificate("www.shop.example.com", List.of()),
                Precondition.of("E3", Map.of("covers_host", "false")), new Inverse.Irreversible("left unused"),
                Risk.LOW, new Permission("acm:RequestCertificate", "*"));

        AppliedStep applied = executor.apply("01JALERT", step, executor.observe(step));

        assertThat(applied.calls()).extracting(CallRecord::api).containsExactly("acm:RequestCertificate",
                "acm:DescribeCertificate", "route53:ChangeResourceRecordSets");
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/2013-04-01/hostedzone/04321ABCDEFG/rrset/")))
                .getFirst().getBodyAsString()).contains("_a1.www.shop.example.com.", "_b2.acm-validations.aws.");
    }

    @Test
    void aValidationRecordThatCannotBePlaced_stillCountsTheRequestedCertificateAsApplied() {
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).atPriority(1)
                .willReturn(zones("zz.example.org.", "Z9OTHERZONE")));
        PlanStep step = new PlanStep("S1", new Action.RequestCertificate("shop.example.com", List.of()),
                Precondition.of("E3", Map.of("covers_host", "false")), new Inverse.Irreversible("left unused"),
                Risk.LOW, new Permission("acm:RequestCertificate", "*"));

        StepFailedException failed = org.junit.jupiter.api.Assertions.assertThrows(StepFailedException.class,
                () -> executor.apply("01JALERT", step, executor.observe(step)));

        assertThat(failed.getMessage()).contains("no public hosted zone serves shop.example.com");
        assertThat(failed.accepted()).hasValueSatisfying(a -> {
            assertThat(a.reversible()).isFalse();
            assertThat(a.calls()).extracting(CallRecord::result).contains(ARN);
        });
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder zones(String name, String id) {
        return aResponse().withHeader("Content-Type", "text/xml").withBody("<ListHostedZonesByNameResponse xmlns=\""
                + "https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones><HostedZone><Id>/hostedzone/" + id
                + "</Id><Name>" + name + "</Name><CallerReference>x</CallerReference><Config><PrivateZone>false"
                + "</PrivateZone></Config><ResourceRecordSetCount>3</ResourceRecordSetCount></HostedZone>"
                + "</HostedZones><IsTruncated>false</IsTruncated><MaxItems>5</MaxItems>"
                + "</ListHostedZonesByNameResponse>");
    }

    private void acm(String operation, String body) {
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("CertificateManager." + operation))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body)));
    }
}
