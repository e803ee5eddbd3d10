package dev.cloudops.monitor.target;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.monitor.target.s3.S3TargetSource;
import dev.cloudops.monitor.target.ssm.SsmTargetSource;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** The target document read from S3 (s3proxy) and from SSM Parameter Store (WireMock speaking its JSON protocol). */
@ExtendWith(Emulators.class)
class TargetSourcesIT {

    private static final String DOCUMENT = "targets:\n  - url: https://shop.example.com/\n    severity: high\n";

    @Test
    void s3_readsTheObjectNamedInTheConfiguration(S3Emulator s3) {
        var client = s3.clients().s3();
        client.createBucket(b -> b.bucket("cloudops-config"));
        client.putObject(b -> b.bucket("cloudops-config").key("monitor/targets.yaml"), RequestBody.fromString(DOCUMENT));

        TargetSource source = new S3TargetSource(client, "cloudops-config", "monitor/targets.yaml");

        assertThat(TargetDocument.parse(source.read()).targets()).extracting(Target::url)
                .containsExactly(URI.create("https://shop.example.com/"));
        assertThat(source.describe()).isEqualTo("S3 object s3://cloudops-config/monitor/targets.yaml");
    }

    @Test
    void ssm_readsTheParameterWithDecryption() throws Exception {
        WireMockServer ssm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        ssm.start();
        try {
            String body = new ObjectMapper().writeValueAsString(Map.of("Parameter", Map.of(
                    "Name", "/cloudops/targets", "Type", "SecureString", "Value", DOCUMENT, "Version", 3,
                    "LastModifiedDate", 1.7946e9, "ARN", "arn:aws:ssm:us-east-1:123456789012:parameter/cloudops/targets",
                    "DataType", "text")));
            ssm.stubFor(post(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                    .withRequestBody(equalToJson("{\"Name\":\"/cloudops/targets\",\"WithDecryption\":true}"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody(body)));
            ssm.stubFor(post(urlEqualTo("/"))
                    .withRequestBody(containing("/cloudops/missing"))
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody("{\"__type\":\"ParameterNotFound\",\"message\":\"\"}")));
            try (AwsClients clients = new AwsClients(new AwsSettings(Region.US_EAST_1,
                    Optional.of(URI.create(ssm.baseUrl()))),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {

                String document = new SsmTargetSource(clients.ssm(), "/cloudops/targets").read();

                assertThat(TargetDocument.parse(document).targets().getFirst().severity().name()).isEqualTo("HIGH");
                ssm.verify(postRequestedFor(urlEqualTo("/")).withHeader("Authorization",
                        containing("AWS4-HMAC-SHA256 Credential=test/")));
                assertThatThrownBy(() -> new SsmTargetSource(clients.ssm(), "/cloudops/missing").read())
                        .isInstanceOf(ParameterNotFoundException.class);
            }
        } finally {
            ssm.stop();
        }
    }
}
