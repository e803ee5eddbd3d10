package dev.cloudops.agent.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The agent's read tools against WireMock: real reads, checked parameters, and probes kept to the incident's host. */
class AwsAgentToolsIT {

    private static final Incident INCIDENT = new Incident("01JALERT", "https://shop.example.com/", "shop.example.com",
            IssueType.HTTP_ERROR, Severity.HIGH, "HTTP: answered 403", Instant.parse("2026-11-27T02:29:00Z"), 1);

    private WireMockServer aws;
    private AwsClients clients;
    private AwsAgentTools tools;
    private final List<URI> probed = new ArrayList<>();

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(URI.create(aws.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        tools = new AwsAgentTools(clients.route53(), clients.cloudFront(), clients.acmForCloudFront(), clients.s3(),
                clients.cloudTrailForGlobalServices(), url -> {
                    probed.add(url);
                    return "healthy: HTTP 200 in 80 ms";
                }, Clock.systemUTC());
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
                .isEqualTo("healthy: HTTP 200 in 80 ms");
        assertThat(tools.call(INCIDENT, "probe_url", Map.of("url", "http://169.254.169.254/latest/meta-data/")))
                .isEqualTo("error: only http(s) URLs on shop.example.com may be probed");
        assertThat(tools.call(INCIDENT, "probe_url", Map.of("url", "file:///etc/passwd"))).startsWith("error:");
        assertThat(probed).containsExactly(URI.create("https://shop.example.com/checkout"));
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

    private static String resource(String path) throws IOException {
        try (InputStream in = AwsAgentToolsIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
