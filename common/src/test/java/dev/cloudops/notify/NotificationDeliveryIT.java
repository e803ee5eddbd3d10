package dev.cloudops.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.notify.email.SnsEmailNotifier;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Every channel against a loopback receiver: what is posted, retries, isolation, and the outcomes on the alert. */
@ExtendWith(Emulators.class)
class NotificationDeliveryIT {

    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:cloudops-notifications";
    private static final String PUBLISHED = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
            + "<PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
            + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>"
            + "</PublishResponse>";

    private final Dynalite dynalite;
    private WireMockServer receiver;
    private AwsClients clients;
    private DynamoDbAlertRepository alerts;
    private Alert alert;

    NotificationDeliveryIT(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    @BeforeEach
    void start() {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.empty(),
                Map.of("SNS", URI.create(receiver.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        String table = "alerts-" + UUID.randomUUID();
        dynalite.createTable(AlertsTable.createRequest(table));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
        alert = alerts.create(AlertFixtures.pending("01JNOTIFY000000000000000001"));
        receiver.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(ok(PUBLISHED).withHeader("Content-Type", "text/xml")));
    }

    @AfterEach
    void stop() {
        clients.close();
        receiver.stop();
    }

    @Test
    void everyChannelReceivesItsFormat_andTheAlertRecordsEachDelivery() {
        receiver.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        receiver.stubFor(post(urlEqualTo("/slack")).willReturn(ok("ok")));

        List<Delivery> deliveries = dispatcher().dispatch(raised());

        assertThat(deliveries).allSatisfy(d -> assertThat(d).isInstanceOf(Delivery.Delivered.class));
        receiver.verify(postRequestedFor(urlEqualTo("/teams"))
                .withRequestBody(matchingJsonPath("$.type", com.github.tomakehurst.wiremock.client.WireMock.equalTo("message")))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.actions[0].url",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(NotificationFixtures.REVIEW.toString()))));
        receiver.verify(postRequestedFor(urlEqualTo("/slack"))
                .withRequestBody(matchingJsonPath("$.blocks[0].type",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("header"))));
        receiver.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("TopicArn="
                + TOPIC.replace(":", "%3A"))).withRequestBody(containing("Subject=%5Bcloudops%5D")));
        assertThat(events(AuditAction.NOTIFIED)).extracting(AuditEvent::detail).anySatisfy(d -> assertThat(d)
                .startsWith("teams: CRITICAL: HTTP_ERROR on shop.example.com (attempt 1)"));
        assertThat(events(AuditAction.NOTIFIED)).hasSize(3);
    }

    @Test
    void a429_isRetriedAfterTheTimeRetryAfterAsks() {
        receiver.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        receiver.stubFor(post(urlEqualTo("/slack")).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate_limited"))
                .willSetStateTo("free"));
        receiver.stubFor(post(urlEqualTo("/slack")).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(ok("ok")));

        List<Delivery> deliveries = dispatcher().dispatch(raised());

        assertThat(deliveries).contains(new Delivery.Delivered("slack", 2));
        receiver.verify(2, postRequestedFor(urlEqualTo("/slack")));
    }

    @Test
    void aChannelThatIsDown_failsAlone_andTheAlertIsIntact() {
        receiver.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        receiver.stubFor(post(urlEqualTo("/slack")).willReturn(aResponse().withStatus(503).withBody("upstream down")));

        List<Delivery> deliveries = dispatcher().dispatch(raised());

        assertThat(deliveries).filteredOn(d -> d instanceof Delivery.Delivered).extracting(Delivery::channel)
                .containsExactlyInAnyOrder("teams", "email");
        assertThat(deliveries).filteredOn(d -> d instanceof Delivery.Failed).singleElement().satisfies(d ->
                assertThat(((Delivery.Failed) d).reason()).isEqualTo("HTTP 503: upstream down after 3 attempts"));
        receiver.verify(3, postRequestedFor(urlEqualTo("/slack")));
        Alert stored = alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(alert.state());
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(events(AuditAction.NOTIFICATION_FAILED)).singleElement().satisfies(e ->
                assertThat(e.detail()).startsWith("slack: ").endsWith("HTTP 503: upstream down after 3 attempts"));
    }

    @Test
    void aRefusedRequest_isNotRetried() {
        receiver.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(400).withBody("Bad payload")));
        receiver.stubFor(post(urlEqualTo("/slack")).willReturn(ok("ok")));

        List<Delivery> deliveries = dispatcher().dispatch(raised());

        assertThat(deliveries).contains(new Delivery.Failed("teams", 1, "HTTP 400: Bad payload"));
        receiver.verify(1, postRequestedFor(urlEqualTo("/teams")));
    }

    private NotificationDispatcher dispatcher() {
        WebhookClient webhooks = new WebhookClient(Duration.ofSeconds(2), 3, Duration.ofMillis(50), Duration.ofSeconds(2));
        return new NotificationDispatcher(List.of(
                WebhookNotifier.teams(webhooks, URI.create(receiver.baseUrl() + "/teams")),
                WebhookNotifier.slack(webhooks, URI.create(receiver.baseUrl() + "/slack")),
                new SnsEmailNotifier(clients.sns(), TOPIC)), alerts, Clock.systemUTC());
    }

    private Notification raised() {
        Notification.AlertRaised r = NotificationFixtures.raised("Distribution disabled.");
        return new Notification.AlertRaised(new Notification.AlertRef(alert.alertId(), "shop.example.com",
                r.alert().issueType(), r.alert().severity(), r.alert().targetUrl()), r.rootCause(), r.summary(),
                r.plan(), r.evidenceCount(), r.analyzer(), r.reviewLink(), r.reportLink(), false);
    }

    private List<AuditEvent> events(AuditAction action) {
        return alerts.find(alert.alertId()).orElseThrow().audit().stream().filter(e -> e.action() == action).toList();
    }
}
