package dev.cloudops.monitor.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.cloudops.json.EventJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The monitor's events as Lambda delivers them (files under src/test/resources/events, see its README). */
class TriggersTest {

    private final Triggers triggers = new Triggers(new EventJson());

    @ParameterizedTest
    @Event(value = "events/scheduled-event.json", type = ScheduledEvent.class)
    void aScheduledEvent_isTheScheduleTick(ScheduledEvent event) {
        assertThat(triggers.of(event)).isEqualTo(new Trigger.Scheduled(Instant.parse("2026-11-27T02:30:00Z")));
    }

    @ParameterizedTest
    @Event(value = "events/sns-alarm.json", type = SNSEvent.class)
    void aCloudWatchAlarmNotification_inAlarm(SNSEvent event) {
        assertThat(triggers.of(event)).singleElement().isInstanceOfSatisfying(Trigger.Alarm.class, alarm -> {
            assertThat(alarm.name()).isEqualTo("shop-5xx-rate");
            assertThat(alarm.state()).isEqualTo("ALARM");
            assertThat(alarm.reason()).startsWith("Threshold Crossed");
            assertThat(alarm.dimensions()).isEqualTo(Map.of("DistributionId", "E2QWRUHAPOMQZL", "Region", "Global"));
        });
    }

    @ParameterizedTest
    @Event(value = "events/sns-alarm-ok.json", type = SNSEvent.class)
    void aCloudWatchAlarmNotification_backToOk(SNSEvent event) {
        assertThat(triggers.of(event)).singleElement().isInstanceOfSatisfying(Trigger.Alarm.class, alarm -> {
            assertThat(alarm.name()).isEqualTo("shop-5xx-rate");
            assertThat(alarm.state()).isEqualTo("OK");
        });
    }

    @Test
    void theStreamEntryPoint_bindsEachShapeAsLambdasSerializerDoes() throws IOException {
        for (String file : new String[] {"scheduled-event.json", "sns-alarm.json", "sns-alarm-ok.json", "sns-manual.json"}) {
            Triggers.Event event = triggers.event(event(file));
            Object loaded = file.startsWith("sns") ? EventLoader.loadSNSEvent("events/" + file)
                    : EventLoader.loadScheduledEvent("events/" + file);
            assertThat(triggers.of(event)).as(file).isEqualTo(loaded instanceof SNSEvent s ? triggers.of(s)
                    : java.util.List.of(triggers.of((ScheduledEvent) loaded)));
        }
        SNSEvent sns = ((Triggers.Event.Sns) triggers.event(event("sns-alarm.json"))).event();
        SNSEvent loaded = EventLoader.loadSNSEvent("events/sns-alarm.json");
        assertThat(sns.getRecords().getFirst().getSNS()).usingRecursiveComparison()
                .isEqualTo(loaded.getRecords().getFirst().getSNS());
        assertThat(sns.getRecords().getFirst().getEventSubscriptionArn()).endsWith(":cloudops-alarm-intake:"
                + "2bcfbf39-05c3-41de-beaa-fcfcc21c8f55");
    }

    @Test
    void manualRequests_invokedDirectlyOrThroughSns() throws IOException {
        assertThat(triggers.of(triggers.event(event("manual-invoke.json")))).containsExactly(new Trigger.Manual(
                URI.create("https://shop.example.com/checkout"), "customers report errors at checkout",
                "alice@example.com"));
        assertThat(triggers.of(EventLoader.loadSNSEvent("events/sns-manual.json"))).containsExactly(new Trigger.Manual(
                URI.create("https://shop.example.com/"), "certificate warning in the browser", "bob@example.com"));
    }

    @Test
    void unknownAndMalformedEvents_areRefusedSayingWhatWasExpected() throws IOException {
        assertThatThrownBy(() -> triggers.of(triggers.event(event("sqs-message.json"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("Records[0] is not an SNS record");
        assertThatThrownBy(() -> triggers.event(bytes("{\"hello\":\"world\"}")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown event")
                .hasMessageContaining("[hello]");
        assertThatThrownBy(() -> triggers.event(bytes("not json")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> triggers.event(bytes("[1]")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> triggers.of(triggers.event(bytes("{\"url\":\"ftp://x\",\"reason\":7}"))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'url' must be an absolute http or https URL")
                .hasMessageContaining("'reason' must be a string");
        assertThatThrownBy(() -> triggers.of(triggers.event(bytes("{\"detail-type\":\"Scheduled Event\",\"source\":\"evil\"}"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("aws.events or aws.scheduler");
        assertThatThrownBy(() -> triggers.event(bytes("{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
                + "\"time\":\"yesterday\"}")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'time'")
                .hasMessageContaining("not an ISO-8601 instant");
        assertThatThrownBy(() -> triggers.event(bytes("{\"Records\":\"none\"}")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'Records' must be a list");
        assertThatThrownBy(() -> triggers.of(triggers.event(bytes("{\"Records\":[]}"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("non-empty list");
        assertThatThrownBy(() -> triggers.of(triggers.event(bytes("{\"Records\":[{\"EventSource\":\"aws:sns\","
                + "\"Sns\":{\"Message\":\"{\\\"AlarmName\\\":\\\"a\\\",\\\"NewStateValue\\\":\\\"MAYBE\\\"}\"}}]}"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("Records[0].Sns.Message is a CloudWatch "
                        + "alarm notification without a valid AlarmName and NewStateValue");
    }

    private static byte[] event(String name) throws IOException {
        try (InputStream in = TriggersTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWorkflowTask_isReadWithItsFields() throws IOException {
        Triggers.Event analyse = triggers.event(event("task-analyse.json"));
        Triggers.Event shard = triggers.event(event("task-probe-shard.json"));

        assertThat(analyse).isEqualTo(new Triggers.Event.Orchestrated(new Task.Analyse("01JDQ3Z8K4M2N6P7R9S0T1V2W3")));
        assertThat(shard).isInstanceOfSatisfying(Triggers.Event.Orchestrated.class, o ->
                assertThat(o.task()).isInstanceOfSatisfying(Task.ProbeShard.class, s -> {
                    assertThat(s.runStartedAt()).isEqualTo(Instant.parse("2026-11-27T02:30:00.123Z"));
                    assertThat(s.targets()).extracting(t -> t.url().toString())
                            .containsExactly("https://www.example.com/", "https://shop.example.com/health");
                    assertThat(s.targets().getFirst().failuresBeforeAlert()).isEqualTo(2);
                    assertThat(s.targets().get(1).alarmNames()).containsExactly("shop-5xx-rate");
                }));
    }

    @Test
    void aWorkflowTask_withBadFields_isRefusedNamingEveryProblem() {
        String json = "{\"cloudops_task\":\"probe_shard\",\"run_started_at\":\"yesterday\",\"targets\":["
                + "{\"url\":\"https://ok.example/\"},{\"url\":\"ftp://files.example/\"},{\"severity\":\"urgent\"}]}";

        assertThatThrownBy(() -> triggers.event(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("the workflow task probe_shard is not valid: 'run_started_at' must be an ISO-8601 instant, "
                        + "was 'yesterday'; targets[1]: 'url' must be an absolute http or https URL, was "
                        + "'ftp://files.example/'; targets[2]: 'url' is missing; 'severity' must be one of critical, "
                        + "high, medium, low, was 'urgent'");
        assertThatThrownBy(() -> triggers.event("{\"cloudops_task\":\"notify\",\"alert_id\":42}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'alert_id' must be a non-empty string");
    }
}
