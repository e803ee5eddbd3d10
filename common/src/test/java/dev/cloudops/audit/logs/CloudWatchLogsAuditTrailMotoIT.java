package dev.cloudops.audit.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * The audit log written to moto's CloudWatch Logs and read back as an operator would (GetLogEvents on the
 * stream, FilterLogEvents across the group by alert id): one JSON line per event, in time order, in one stream
 * of this instance's own. moto refuses a PutLogEvents batch that is not in chronological order, as CloudWatch
 * Logs does, and drops events older than 14 days, so the events here are stamped around the present. What moto
 * cannot be made to answer (AccessDenied, a stream that already exists) stays in
 * {@link CloudWatchLogsAuditTrailIT}, against WireMock.
 */
@ExtendWith(Emulators.class)
class CloudWatchLogsAuditTrailMotoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final CloudWatchLogsClient logs;
    private String group;

    CloudWatchLogsAuditTrailMotoIT(MotoServer moto) {
        this.logs = moto.clients().logs();
    }

    @BeforeEach
    void createGroup() {
        // The group is the stack's (template.yaml); the trail creates only its streams.
        group = "/aws/cloudops-agent/audit-" + UUID.randomUUID();
        logs.createLogGroup(b -> b.logGroupName(group));
    }

    @Test
    void flush_writesOneJsonLinePerEvent_inTimeOrder_toOneStreamOfItsOwn() throws Exception {
        CloudWatchLogsAuditTrail trail = trail();
        trail.record("01JA", AuditEvent.of(NOW.minusSeconds(58), AuditAction.APPROVED,
                new Actor("alice@example.com", true, "203.0.113.7", "Mozilla/5.0"), "approved", "go ahead"));
        trail.record("01JB", AuditEvent.of(NOW.minusSeconds(60), AuditAction.DETECTED, Actor.system("monitor"),
                "detected", null));

        trail.flush();
        trail.record("01JA", AuditEvent.of(NOW.minusSeconds(51), AuditAction.EXECUTION_STARTED,
                Actor.system("execution"), "started", null));
        trail.flush();

        List<LogStream> streams = logs.describeLogStreams(b -> b.logGroupName(group)).logStreams();
        assertThat(streams).singleElement().extracting(LogStream::logStreamName).asString()
                .matches("approval/" + DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC).format(NOW)
                        + "/[0-9a-f-]{36}");
        List<OutputLogEvent> events = logs.getLogEvents(b -> b.logGroupName(group)
                .logStreamName(streams.getFirst().logStreamName()).startFromHead(true)).events();
        assertThat(events).extracting(OutputLogEvent::timestamp).containsExactly(
                NOW.minusSeconds(60).toEpochMilli(), NOW.minusSeconds(58).toEpochMilli(),
                NOW.minusSeconds(51).toEpochMilli());
        assertThat(JSON.readTree(events.get(0).message())).isEqualTo(JSON.createObjectNode()
                .put("time", NOW.minusSeconds(60).toString()).put("alert_id", "01JB").put("action", "DETECTED")
                .put("actor", "monitor").put("verified", true).putNull("source_ip").putNull("user_agent")
                .put("result", "detected").putNull("detail"));
        assertThat(JSON.readTree(events.get(1).message())).isEqualTo(JSON.createObjectNode()
                .put("time", NOW.minusSeconds(58).toString()).put("alert_id", "01JA").put("action", "APPROVED")
                .put("actor", "alice@example.com").put("verified", true).put("source_ip", "203.0.113.7")
                .put("user_agent", "Mozilla/5.0").put("result", "approved").put("detail", "go ahead"));
        assertThat(JSON.readTree(events.get(2).message()).path("action").asText()).isEqualTo("EXECUTION_STARTED");
    }

    @Test
    void oneAlertsEvents_areFoundAcrossTheGroup_byItsId() throws Exception {
        CloudWatchLogsAuditTrail approval = trail();
        CloudWatchLogsAuditTrail execution = new CloudWatchLogsAuditTrail(logs, group, "execution", clock());
        approval.record("01JA", AuditEvent.of(NOW.minusSeconds(30), AuditAction.APPROVED, Actor.system("approval"),
                "approved", null));
        approval.record("01JB", AuditEvent.of(NOW.minusSeconds(20), AuditAction.REJECTED, Actor.system("approval"),
                "rejected", null));
        execution.record("01JA", AuditEvent.of(NOW.minusSeconds(10), AuditAction.EXECUTION_STARTED,
                Actor.system("execution"), "started", null));

        approval.flush();
        execution.flush();

        List<FilteredLogEvent> found = logs.filterLogEvents(b -> b.logGroupName(group)
                .filterPattern("\"01JA\"")).events();
        assertThat(found).hasSize(2);
        List<JsonNode> lines = found.stream().map(e -> read(e.message())).toList();
        assertThat(lines).extracting(l -> l.path("alert_id").asText()).containsOnly("01JA");
        assertThat(lines).extracting(l -> l.path("action").asText())
                .containsExactlyInAnyOrder("APPROVED", "EXECUTION_STARTED");
        assertThat(found).extracting(FilteredLogEvent::logStreamName).doesNotHaveDuplicates()
                .anySatisfy(s -> assertThat(s).startsWith("approval/"))
                .anySatisfy(s -> assertThat(s).startsWith("execution/"));
    }

    @Test
    void aGroupThatDoesNotExist_neverFailsTheFlush_andTheNextFlushWritesOnlyItsOwnEvents() {
        String later = "/aws/cloudops-agent/audit-later-" + UUID.randomUUID();
        CloudWatchLogsAuditTrail trail = new CloudWatchLogsAuditTrail(logs, later, "monitor", clock());
        trail.record("01JA", AuditEvent.of(NOW.minusSeconds(5), AuditAction.DETECTED, Actor.system("monitor"),
                "detected", null));

        assertThatCode(trail::flush).doesNotThrowAnyException();
        logs.createLogGroup(b -> b.logGroupName(later));
        trail.record("01JB", AuditEvent.of(NOW.minusSeconds(4), AuditAction.DETECTED, Actor.system("monitor"),
                "detected", null));
        trail.flush();

        List<FilteredLogEvent> written = logs.filterLogEvents(b -> b.logGroupName(later)).events();
        assertThat(written).singleElement().satisfies(e ->
                assertThat(read(e.message()).path("alert_id").asText()).isEqualTo("01JB"));
    }

    private CloudWatchLogsAuditTrail trail() {
        return new CloudWatchLogsAuditTrail(logs, group, "approval", clock());
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
