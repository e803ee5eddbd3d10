package dev.cloudops.approval.sns;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The execute message as SNS receives it (query protocol, answered by WireMock). */
class SnsExecutionTriggerIT {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:cloudops-execute";

    @Test
    void trigger_publishesAlertIdAndPlanHash() {
        WireMockServer sns = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sns.start();
        try (AwsClients clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.empty(),
                Map.of("SNS", URI.create(sns.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
            sns.stubFor(post(urlEqualTo("/")).willReturn(ok("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/"
                    + "2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata>"
                    + "<RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>")
                    .withHeader("Content-Type", "text/xml")));

            new SnsExecutionTrigger(clients.sns(), TOPIC).trigger("01JALERT", "ab".repeat(32));

            sns.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")));
            String body = URLDecoder.decode(sns.getAllServeEvents().getFirst().getRequest().getBodyAsString(),
                    StandardCharsets.UTF_8);
            assertThat(body).contains("TopicArn=" + TOPIC)
                    .contains("Message={\"alert_id\":\"01JALERT\",\"plan_hash\":\"" + "ab".repeat(32) + "\"}")
                    .contains("MessageAttributes.entry.1.Name=alert_id");
        } finally {
            sns.stop();
        }
    }
}
