package dev.cloudops.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Dry runs against a WireMock server that stands for every AWS service and records whatever reaches it:
 * a dry run never does, and never asks the client's own credentials provider.
 */
class DryRunIT {

    private WireMockServer aws;
    private CountingCredentials credentials;
    private AwsClients clients;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        aws.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
        credentials = new CountingCredentials("AKIDCLIENT");
        clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.of(URI.create(aws.baseUrl()))), credentials);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.stop();
    }

    @Test
    void everyClient_stopsItsDryRunsBeforeTheNetwork_withoutResolvingItsCredentials() {
        List<SdkClient> every = List.of(clients.dynamoDb(), clients.s3(), clients.sns(), clients.logs(),
                clients.secretsManager(), clients.ssm(), clients.sesV2(), clients.route53(), clients.cloudFront(),
                clients.acmForCloudFront(), clients.cloudTrailForGlobalServices(), clients.iam(),
                clients.bedrockAgentRuntime());

        every.forEach(DryRun::of);

        assertThat(aws.getAllServeEvents()).as("requests that reached the network").isEmpty();
        assertThat(credentials.resolved).as("resolutions of the client's credentials").hasValue(0);
        every.forEach(SdkClient::close);
    }

    @Test
    void anOrdinaryRequest_fromTheSameClient_isSent() {
        var dynamoDb = clients.dynamoDb();
        DryRun.of(dynamoDb);

        dynamoDb.getItem(b -> b.tableName("alerts").key(Map.of("alert_id", AttributeValue.fromS("01J"))));

        List<LoggedRequest> sent = aws.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().getHeader("X-Amz-Target")).isEqualTo("DynamoDB_20120810.GetItem");
        assertThat(sent.getFirst().getHeader("Authorization")).contains("Credential=AKIDCLIENT/");
        assertThat(credentials.resolved).hasValue(1);
    }

    @Test
    void run_fails_whenTheRequestWasNotADryRun() {
        var dynamoDb = clients.dynamoDb();

        assertThatThrownBy(() -> DryRun.run("GetItem", () -> dynamoDb.getItem(b -> b.tableName("alerts")
                .key(Map.of("alert_id", AttributeValue.fromS("01J"))))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was not stopped");
        assertThat(aws.getAllServeEvents()).hasSize(1);
    }

    @Test
    void run_fails_whenTheRequestFailedBeforeTheHttpClient() {
        assertThatThrownBy(() -> DryRun.run("GetItem", () -> {
            throw new IllegalArgumentException("bad request");
        })).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("bad request");
    }

    /** Counts how often a client asked for its credentials. */
    private static final class CountingCredentials implements AwsCredentialsProvider {
        private final AtomicInteger resolved = new AtomicInteger();
        private final String keyId;

        CountingCredentials(String keyId) {
            this.keyId = keyId;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            resolved.incrementAndGet();
            return AwsBasicCredentials.create(keyId, "secret");
        }
    }
}
