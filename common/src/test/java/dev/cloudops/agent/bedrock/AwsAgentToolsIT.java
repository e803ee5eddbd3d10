package dev.cloudops.agent.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.cloudops.testing.XRayDaemonStandIn.faultType;
import static dev.cloudops.testing.XRayDaemonStandIn.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.CloudopsException;
import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.testing.SampledInvocation;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The agent's read tools against WireMock, in a sampled invocation: real reads, checked parameters, and probes kept
 * to the incident's host, each traced.
 */
class AwsAgentToolsIT {

    private static final Incident INCIDENT = new Incident("01JALERT", "https://shop.example.com/", "shop.example.com",
            IssueType.HTTP_ERROR, Severity.HIGH, "HTTP: answered 403", Instant.parse("2026-11-27T02:29:00Z"), 1);

    private WireMockServer aws;
    private AwsClients clients;
    private AwsAgentTools tools;
    private final List<URI> probed = new ArrayList<>();

    @RegisterExtension
    final SampledInvocation invocation = new SampledInvocation();

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(URI.create(aws.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        tools = tools(url -> {
            probed.add(url);
            return new ProbeResult(url, Classification.HEALTHY, null, "HTTP 200 in 80 ms", Instant.now(),
                    Duration.ofMillis(80), List.of("192.0.2.10"), null, null);
        });
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.stop();
    }

    @Test
    void getDistribution_readsItWithItsEtag() throws IOException {
        aws.stubFor(get(urlPathEqualTo("/2020-05-31/distribution/E2QWRUHAPOMQZL")).willReturn(aResponse()
                .withHeader("Content-Type", "text/xml").withHeader("ETag", "E3ETAGEXAMPLE9")
                .withBody(resource("/aws/cloudfront-get-distribution.xml"))));

        String answer = tools.call(INCIDENT, "get_distribution", Map.of("distribution_id", "E2QWRUHAPOMQZL"));

        assertThat(answer).startsWith("ETag=E3ETAGEXAMPLE9 ").contains("Enabled=false", "shop-site.s3.eu-west-1");
    }

    @Test
    void malformedParametersAndUnknownFunctions_areRefusedWithoutACall() {
        assertThat(tools.call(INCIDENT, "get_distribution", Map.of("distribution_id", "../../etc")))
                .isEqualTo("error: parameter distribution_id is missing or malformed");
        assertThat(tools.call(INCIDENT, "delete_hosted_zone", Map.of("hosted_zone_id", "Z1")))
                .isEqualTo("error: unknown function delete_hosted_zone");
        aws.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void probeUrl_probesOnlyTheIncidentsHost() {
        assertThat(tools.call(INCIDENT, "probe_url", Map.of("url", "https://shop.example.com/checkout")))
                .isEqualTo("HEALTHY: HTTP 200 in 80 ms");
        assertThat(tools.call(INCIDENT, "probe_url", Map.of("url", "http://169.254.169.254/latest/meta-data/")))
                .isEqualTo("error: only http(s) URLs on shop.example.com may be probed");
        assertThat(tools.call(INCIDENT, "probe_url", Map.of("url", "file:///etc/passwd"))).startsWith("error:");
        assertThat(probed).containsExactly(URI.create("https://shop.example.com/checkout"));
    }

    @Test
    void probeUrl_isAProbeSubsegmentOfTheHost_annotatedWithTheAlertAndTheClassification() {
        tools.call(INCIDENT, "probe_url", Map.of("url", "https://shop.example.com/checkout"));
        tools.call(INCIDENT, "probe_url", Map.of("url", "https://metadata.example.net/"));

        List<Recorded> trace = invocation.received();
        Recorded probe = only(trace, "probe shop.example.com");
        assertThat(probe.parentId()).isEqualTo(SampledInvocation.FUNCTION_SEGMENT);
        assertThat(probe.annotation("alert_id")).isEqualTo("01JALERT");
        assertThat(probe.annotation("domain")).isEqualTo("shop.example.com");
        assertThat(probe.annotation("classification")).isEqualTo("HEALTHY");
        assertThat(trace).as("a refused URL is not probed").hasSize(1);
    }

    @Test
    void aProbeThatFails_isAFault_andItsExceptionReachesTheAgentUnchanged() {
        CloudopsException failure = new CloudopsException("interrupted while probing https://shop.example.com/");
        AwsAgentTools failing = tools(url -> {
            throw failure;
        });

        assertThatThrownBy(() -> failing.call(INCIDENT, "probe_url", Map.of("url", "https://shop.example.com/")))
                .isSameAs(failure);

        List<Recorded> trace = invocation.received();
        assertThat(faultType(trace, only(trace, "probe shop.example.com")))
                .isEqualTo(CloudopsException.class.getName());
    }

    @Test
    void aDeniedRead_answersWithTheError() {
        aws.stubFor(get(urlPathEqualTo("/2020-05-31/distribution/E2QWRUHAPOMQZL")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "text/xml")
                .withBody("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
                        + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error>"
                        + "<RequestId>r-1</RequestId></ErrorResponse>")));

        assertThat(tools.call(INCIDENT, "get_distribution", Map.of("distribution_id", "E2QWRUHAPOMQZL")))
                .isEqualTo("error: AccessDenied (403)");
    }

    private AwsAgentTools tools(AwsAgentTools.UrlProbe probe) {
        return new AwsAgentTools(clients.route53(), clients.cloudFront(), clients.acmForCloudFront(), clients.s3(),
                clients.cloudTrailForGlobalServices(), probe, invocation.tracing(), Clock.systemUTC());
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = AwsAgentToolsIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
