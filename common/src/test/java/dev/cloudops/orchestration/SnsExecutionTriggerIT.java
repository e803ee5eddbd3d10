package dev.cloudops.orchestration;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import dev.cloudops.testing.SubscribedTopic;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * The execute message as SNS receives it (query protocol, answered by WireMock), and as the topic's subscriber
 * gets it from moto's SNS: the execution function reads {@code Records[].Sns.Message} and the {@code alert_id}
 * message attribute, so what arrives is what has to be right.
 */
@ExtendWith(Emulators.class)
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

    @Test
    void trigger_reachesTheTopicsSubscriber_withTheMessageAndItsAlertIdAttribute(MotoServer moto) throws Exception {
        try (SubscribedTopic topic = SubscribedTopic.create(moto, "cloudops-execute")) {
            new SnsExecutionTrigger(moto.clients().sns(), topic.arn()).trigger("01JALERT", "ab".repeat(32));

            JsonNode received = topic.nextDelivery();
            assertThat(received.path("TopicArn").asText()).isEqualTo(topic.arn());
            assertThat(new ObjectMapper().readTree(received.path("Message").asText())).isEqualTo(new ObjectMapper()
                    .readTree("{\"alert_id\":\"01JALERT\",\"plan_hash\":\"" + "ab".repeat(32) + "\"}"));
            assertThat(received.path("MessageAttributes").properties()).singleElement().satisfies(attribute -> {
                assertThat(attribute.getKey()).isEqualTo("alert_id");
                assertThat(attribute.getValue().path("Type").asText()).isEqualTo("String");
                assertThat(attribute.getValue().path("Value").asText()).isEqualTo("01JALERT");
            });
            assertThat(topic.waiting()).isZero();
        }
    }

    @Test
    void trigger_throwsSnsRefusal_soTheCallerKnowsExecutionDidNotStart(MotoServer moto) {
        SnsExecutionTrigger trigger = new SnsExecutionTrigger(moto.clients().sns(),
                "arn:aws:sns:us-east-1:" + MotoServer.ACCOUNT + ":no-such-topic");

        assertThatThrownBy(() -> trigger.trigger("01JALERT", "ab".repeat(32)))
                .isInstanceOf(NotFoundException.class);
    }
}
