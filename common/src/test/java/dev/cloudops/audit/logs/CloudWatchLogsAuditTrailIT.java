package dev.cloudops.audit.logs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Actor;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The audit log adapter against WireMock speaking the CloudWatch Logs JSON 1.1 protocol. */
class CloudWatchLogsAuditTrailIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "/aws/cloudops-agent/audit";
    private static final String CREATE = "Logs_20140328.CreateLogStream";
    private static final String PUT = "Logs_20140328.PutLogEvents";
    private static final Instant T = Instant.parse("2026-11-27T02:24:37.120Z");

    private WireMockServer logs;
    private AwsClients clients;
    private CloudWatchLogsAuditTrail trail;

    @BeforeEach
    void start() {
        logs = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        logs.start();
        clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.empty(),
                Map.of("CLOUDWATCH_LOGS", URI.create(logs.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        trail = new CloudWatchLogsAuditTrail(clients.logs(), GROUP, "approval", Clock.fixed(T, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        clients.close();
        logs.stop();
    }

    @Test
    void flush_createsItsStreamOnce_andWritesEachEventAsOneJsonLine_inTimeOrder() throws Exception {
        answer(CREATE, 200, "{}");
        answer(PUT, 200, "{\"nextSequenceToken\":\"1\"}");
        trail.record("01JA", AuditEvent.of(T.plusSeconds(2), AuditAction.APPROVED,
                new Actor("alice@example.com", true, "203.0.113.7", "Mozilla/5.0"), "approved", "go ahead"));
        trail.record("01JB", AuditEvent.of(T, AuditAction.DETECTED, Actor.system("monitor"), "detected", null));

        trail.flush();
        trail.record("01JA", AuditEvent.of(T.plusSeconds(9), AuditAction.EXECUTION_STARTED, Actor.system("execution"),
                "started", null));
        trail.flush();

        logs.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(CREATE))
                .withRequestBody(matchingJsonPath("$.logGroupName", equalTo(GROUP))));
        List<LoggedRequest> puts = requests(PUT);
        assertThat(puts).hasSize(2);
        JsonNode first = JSON.readTree(puts.get(0).getBodyAsString());
        String stream = JSON.readTree(requests(CREATE).getFirst().getBodyAsString()).get("logStreamName").asText();
        assertThat(stream).matches("approval/2026/11/27/[0-9a-f-]{36}");
        assertThat(first.get("logGroupName").asText()).isEqualTo(GROUP);
        assertThat(first.get("logStreamName").asText()).isEqualTo(stream);
        assertThat(first.get("logEvents")).hasSize(2);
        assertThat(first.at("/logEvents/0/timestamp").asLong()).isEqualTo(T.toEpochMilli());
        assertThat(JSON.readTree(first.at("/logEvents/0/message").asText())).isEqualTo(JSON.readTree(
                "{\"time\":\"2026-11-27T02:24:37.120Z\",\"alert_id\":\"01JB\",\"action\":\"DETECTED\",\"actor\":\"monitor\","
                        + "\"verified\":true,\"source_ip\":null,\"user_agent\":null,\"result\":\"detected\",\"detail\":null}"));
        assertThat(JSON.readTree(first.at("/logEvents/1/message").asText())).isEqualTo(JSON.readTree(
                "{\"time\":\"2026-11-27T02:24:39.120Z\",\"alert_id\":\"01JA\",\"action\":\"APPROVED\","
                        + "\"actor\":\"alice@example.com\",\"verified\":true,\"source_ip\":\"203.0.113.7\","
                        + "\"user_agent\":\"Mozilla/5.0\",\"result\":\"approved\",\"detail\":\"go ahead\"}"));
        JsonNode second = JSON.readTree(puts.get(1).getBodyAsString());
        assertThat(second.get("logStreamName").asText()).isEqualTo(stream);
        assertThat(second.get("logEvents")).hasSize(1);
    }

    @Test
    void aStreamThatAlreadyExists_isWrittenTo() {
        answer(CREATE, 400, "{\"__type\":\"ResourceAlreadyExistsException\",\"message\":\"The specified log stream already exists\"}");
        answer(PUT, 200, "{}");
        trail.record("01JA", AuditEvent.of(T, AuditAction.DETECTED, Actor.system("monitor"), "detected", null));

        trail.flush();

        assertThat(requests(PUT)).hasSize(1);
    }

    @Test
    void aFailedWrite_neverThrows_andTheNextInvocationWritesOnlyItsOwnEvents() throws Exception {
        answer(CREATE, 200, "{}");
        answer(PUT, 400, "{\"__type\":\"AccessDeniedException\",\"message\":\"not authorized to perform logs:PutLogEvents\"}");
        trail.record("01JA", AuditEvent.of(T, AuditAction.DETECTED, Actor.system("monitor"), "detected", null));

        assertThatCode(trail::flush).doesNotThrowAnyException();
        answer(PUT, 200, "{}");
        trail.record("01JB", AuditEvent.of(T, AuditAction.REJECTED, Actor.system("monitor"), "rejected", null));
        trail.flush();

        List<LoggedRequest> puts = requests(PUT);
        assertThat(puts).hasSize(2);
        JsonNode last = JSON.readTree(puts.get(1).getBodyAsString());
        assertThat(last.get("logEvents")).hasSize(1);
        assertThat(last.at("/logEvents/0/message").asText()).contains("\"alert_id\":\"01JB\"");
    }

    @Test
    void nothingRecorded_meansNoRequest() {
        trail.flush();

        assertThat(logs.getAllServeEvents()).isEmpty();
    }

    private void answer(String target, int status, String body) {
        logs.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target)).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body)));
    }

    private List<LoggedRequest> requests(String target) {
        return logs.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target)))
                .stream().toList();
    }
}
