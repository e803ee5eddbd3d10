package dev.cloudops.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.notify.email.SesEmailNotifier;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The optional SES sender against WireMock speaking the SESv2 REST-JSON protocol. */
class SesEmailNotifierIT {

    @Test
    void send_postsEscapedHtmlAndText_fromTheSenderIdentity() throws Exception {
        WireMockServer ses = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        ses.start();
        try (AwsClients clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.empty(),
                Map.of("SESV2", URI.create(ses.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
            ses.stubFor(post(urlEqualTo("/v2/email/outbound-emails")).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody("{\"MessageId\":\"0100018c-abcd\"}")));
            Notification n = new Notification.DecisionRecorded(NotificationFixtures.REF, "rejected", "Eve", false,
                    "not now <script>alert(1)</script> see https://evil.example/alerts/01J?t=a.b&x=1",
                    URI.create("https://review.example.com/alerts/01J?t=a.b&x=1"));

            Delivery delivery = new SesEmailNotifier(clients.sesV2(), "cloudops@example.com",
                    List.of("oncall@example.com")).send(n);

            assertThat(delivery).isEqualTo(new Delivery.Delivered("email-ses", 1));
            ses.verify(postRequestedFor(urlEqualTo("/v2/email/outbound-emails"))
                    .withRequestBody(matchingJsonPath("$.FromEmailAddress", equalTo("cloudops@example.com")))
                    .withRequestBody(matchingJsonPath("$.Destination.ToAddresses[0]", equalTo("oncall@example.com")))
                    .withRequestBody(matchingJsonPath("$.Content.Simple.Subject.Data",
                            equalTo("[cloudops] Plan rejected for HTTP_ERROR on shop.example.com"))));
            String html = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(ses.getAllServeEvents().getFirst().getRequest().getBodyAsString())
                    .at("/Content/Simple/Body/Html/Data").asText();
            assertThat(html).contains("&lt;script&gt;").doesNotContain("<script>")
                    .contains("<a href=\"https://review.example.com/alerts/01J?t=a.b&amp;x=1\">")
                    .as("a URL in a comment stays text").contains("see https://evil.example/alerts/01J?t=a.b&amp;x=1")
                    .doesNotContain("href=\"https://evil");
        } finally {
            ses.stop();
        }
    }
}
