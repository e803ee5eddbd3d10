package dev.cloudops.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/** Renewing credentials (as after a SnapStart restore), seen in the signature of the requests that reach WireMock. */
class RenewableCredentialsIT {

    private WireMockServer aws;
    private final List<Provider> made = new ArrayList<>();
    private AwsClients clients;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        aws.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
        clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.of(URI.create(aws.baseUrl()))),
                new RenewableCredentials(() -> {
                    Provider p = new Provider("AKIDSANDBOX" + made.size());
                    made.add(p);
                    return p;
                }));
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.stop();
    }

    @Test
    void renewCredentials_makesClientsBuiltBefore_signWithCredentialsResolvedAfter() {
        DynamoDbClient dynamoDb = clients.dynamoDb();
        get(dynamoDb);

        clients.renewCredentials();
        get(dynamoDb);

        var sent = aws.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("Authorization")).contains("Credential=AKIDSANDBOX0/");
        assertThat(sent.get(1).getHeader("Authorization")).contains("Credential=AKIDSANDBOX1/");
        assertThat(made.get(0).closed).as("the provider from before the snapshot is closed").isTrue();
        assertThat(made.get(1).closed).isFalse();
    }

    @Test
    void renewCredentials_isANoOp_forFixedCredentials() {
        AwsClients fixed = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.of(URI.create(aws.baseUrl()))),
                () -> AwsBasicCredentials.create("AKIDFIXED", "secret"));
        DynamoDbClient dynamoDb = fixed.dynamoDb();

        fixed.renewCredentials();
        get(dynamoDb);

        assertThat(aws.findAll(anyRequestedFor(anyUrl())).getFirst().getHeader("Authorization"))
                .contains("Credential=AKIDFIXED/");
        fixed.close();
    }

    private static void get(DynamoDbClient dynamoDb) {
        dynamoDb.getItem(b -> b.tableName("alerts").key(Map.of("alert_id", AttributeValue.fromS("01J"))));
    }

    private static final class Provider implements AwsCredentialsProvider, SdkAutoCloseable {
        private final String keyId;
        private boolean closed;

        Provider(String keyId) {
            this.keyId = keyId;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            return AwsBasicCredentials.create(keyId, "secret");
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
