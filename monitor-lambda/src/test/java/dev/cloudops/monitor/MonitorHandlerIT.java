package dev.cloudops.monitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.monitor.trigger.InvalidEventException;
import dev.cloudops.testing.LambdaContext;
import dev.cloudops.testing.S3Emulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The handler with its production wiring, fed real ScheduledEvent and SNS alarm JSON. */
class MonitorHandlerIT extends LoopbackAccount {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scheduledEvents_thenAnAlarm_raiseAndCountOneAlert() throws IOException {
        String suffix = UUID.randomUUID().toString();
        MonitorHandler handler = handler(suffix, "    failures_before_alert: 2\n    alarm_names: [shop-5xx-rate]\n");
        site.switchUp(false);

        JsonNode first = invoke(handler, "scheduled-event.json");
        JsonNode second = invoke(handler, "scheduled-event.json");
        JsonNode alarm = invoke(handler, "sns-alarm.json");

        assertThat(first.get(0).get("trigger").asText()).isEqualTo("schedule");
        assertThat(first.get(0).at("/targets/0/action").asText()).isEqualTo("BELOW_THRESHOLD");
        assertThat(second.get(0).at("/targets/0/action").asText()).isEqualTo("RAISED");
        assertThat(alarm.get(0).get("trigger").asText()).isEqualTo("alarm");
        assertThat(alarm.get(0).at("/targets/0/action").asText()).isEqualTo("COUNTED");
        String alertId = second.get(0).at("/targets/0/alert_ids/0").asText();
        Alert alert = repository(suffix).find(alertId).orElseThrow();
        assertThat(alert.state()).as("analysed by the rule engine").isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(alert.occurrences()).isEqualTo(2);
        assertThat(alert.evidenceKey()).startsWith("evidence/");
        assertThat(s3.clients().s3().getObjectAsBytes(b -> b.bucket("artifacts-" + suffix).key(alert.s3AnalysisKey()))
                .asUtf8String()).contains("## Executive Summary", "route53:ListHostedZonesByName");
        assertThat(repository(suffix).listByStatus(ApprovalStatus.PENDING_APPROVAL, 10, null).items()).hasSize(1);
    }

    @Test
    void aRaisedAlert_isAnalysedThenSentToTeams_withASignedReviewLink() throws IOException {
        String teamsArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/teams-AbCdEf";
        String keyArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/review-key-AbCdEf";
        teamsAndSigningKey(teamsArn, keyArn);
        String suffix = UUID.randomUUID().toString();
        MonitorHandler handler = handler(suffix, "    failures_before_alert: 1\n", Map.of(
                "NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", teamsArn,
                "REVIEW_SIGNING_SECRET_ARN", keyArn,
                "REVIEW_BASE_URL", "https://review.example.com"));
        site.switchUp(false);

        String alertId = invoke(handler, "scheduled-event.json").get(0).at("/targets/0/alert_ids/0").asText();

        otherServices.verify(postRequestedFor(urlEqualTo("/teams"))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.actions[0].url",
                        matching("https://review\\.example\\.com/alerts/" + alertId + "\\?t=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.body[0].text",
                        equalTo("MEDIUM: HTTP_ERROR on 127.0.0.1")))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.body[1].facts[?(@.title == 'Evidence')].value",
                        matching(".*[0-9]+ items.*"))));
        Alert alert = repository(suffix).find(alertId).orElseThrow();
        assertThat(alert.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(alert.audit()).anySatisfy(e -> assertThat(e.detail()).startsWith("teams: MEDIUM: HTTP_ERROR"));
    }

    @Test
    void anOkAlarm_resolvesTheOpenAlert() throws IOException {
        String suffix = UUID.randomUUID().toString();
        MonitorHandler handler = handler(suffix, "    failures_before_alert: 1\n    alarm_names: [shop-5xx-rate]\n");
        site.switchUp(false);
        String alertId = invoke(handler, "sns-alarm.json").get(0).at("/targets/0/alert_ids/0").asText();
        site.switchUp(true);

        JsonNode ok = invoke(handler, "sns-alarm-ok.json");

        assertThat(ok.get(0).at("/targets/0/action").asText()).isEqualTo("RECOVERED");
        assertThat(repository(suffix).find(alertId).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aMalformedEvent_isRefusedWithAClearError_andChangesNothing() {
        String suffix = UUID.randomUUID().toString();
        MonitorHandler handler = handler(suffix, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream("{\"Records\":[{}]}".getBytes()), out,
                LambdaContext.fixed("cloudops-monitor", 60_000)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("Records[0] is not an SNS record");
        assertThat(out.size()).isZero();
        assertThat(repository(suffix).listByStatus(ApprovalStatus.DETECTED, 10, null).items()).isEmpty();
        assertThat(repository(suffix).listByStatus(ApprovalStatus.PENDING_APPROVAL, 10, null).items()).isEmpty();
    }

    private MonitorHandler handler(String suffix, String settings) {
        return handler(suffix, settings, Map.of());
    }

    private MonitorHandler handler(String suffix, String settings, Map<String, String> extra) {
        dynalite.createTable(AlertsTable.createRequest("alerts-" + suffix));
        dynalite.createTable(ControlTable.createRequest("control-" + suffix));
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", otherServices.baseUrl());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("ALERTS_TABLE", "alerts-" + suffix);
        env.put("CONTROL_TABLE", "control-" + suffix);
        env.put("ARTIFACTS_BUCKET", "artifacts-" + suffix);
        s3.clients().s3().createBucket(b -> b.bucket("artifacts-" + suffix));
        env.put("DNS_RESOLVERS", "127.0.0.1:" + dns.endpoint().getPort());
        env.put("TARGETS", "targets:\n  - url: " + site.url("127.0.0.1", "/switch") + "\n" + settings);
        env.putAll(extra);
        MonitorConfig config = MonitorConfig.from(env);
        AwsClients clients = new AwsClients(config.aws(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Emulator.ACCESS_KEY, S3Emulator.SECRET_KEY)));
        return new MonitorHandler(config, clients, Clock.systemUTC());
    }

    private DynamoDbAlertRepository repository(String suffix) {
        return new DynamoDbAlertRepository(dynalite.client(), "alerts-" + suffix, Duration.ofDays(7));
    }

    private static JsonNode invoke(MonitorHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = MonitorHandlerIT.class.getResourceAsStream("/events/" + event)) {
            handler.handleRequest(in, out, LambdaContext.fixed("cloudops-monitor", 60_000));
        }
        return JSON.readTree(out.toByteArray());
    }
}
