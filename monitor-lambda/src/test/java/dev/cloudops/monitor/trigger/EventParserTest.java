package dev.cloudops.monitor.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventParserTest {

    private final EventParser parser = new EventParser();

    @Test
    void parse_readsAnEventBridgeScheduledEvent() throws IOException {
        assertThat(parser.parse(event("scheduled-event.json")))
                .containsExactly(new Trigger.Scheduled(Instant.parse("2026-11-27T02:30:00Z")));
    }

    @Test
    void parse_readsACloudWatchAlarmDeliveredThroughSns() throws IOException {
        Trigger trigger = parser.parse(event("sns-alarm.json")).getFirst();

        assertThat(trigger).isInstanceOfSatisfying(Trigger.Alarm.class, alarm -> {
            assertThat(alarm.name()).isEqualTo("shop-5xx-rate");
            assertThat(alarm.state()).isEqualTo("ALARM");
            assertThat(alarm.reason()).startsWith("Threshold Crossed");
            assertThat(alarm.dimensions()).isEqualTo(Map.of("DistributionId", "E2QWRUHAPOMQZL", "Region", "Global"));
        });
        assertThat(((Trigger.Alarm) parser.parse(event("sns-alarm-ok.json")).getFirst()).state()).isEqualTo("OK");
    }

    @Test
    void parse_readsManualRequests_invokedDirectlyOrThroughSns() throws IOException {
        assertThat(parser.parse(event("manual-invoke.json"))).containsExactly(new Trigger.Manual(
                URI.create("https://shop.example.com/checkout"), "customers report errors at checkout",
                "alice@example.com"));
        assertThat(parser.parse(event("sns-manual.json"))).containsExactly(new Trigger.Manual(
                URI.create("https://shop.example.com/"), "certificate warning in the browser", "bob@example.com"));
    }

    @Test
    void parse_rejectsUnknownAndMalformedEvents_sayingWhatWasExpected() throws IOException {
        assertThatThrownBy(() -> parser.parse(event("sqs-message.json")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("Records[0] is not an SNS record");
        assertThatThrownBy(() -> parser.parse(bytes("{\"hello\":\"world\"}")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown event")
                .hasMessageContaining("[hello]");
        assertThatThrownBy(() -> parser.parse(bytes("not json")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parser.parse(bytes("[1]")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parser.parse(bytes("{\"url\":\"ftp://x\",\"reason\":7}")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'url' must be an absolute http or https URL")
                .hasMessageContaining("'reason' must be a string");
        assertThatThrownBy(() -> parser.parse(bytes("{\"detail-type\":\"Scheduled Event\",\"source\":\"evil\"}")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("aws.events or aws.scheduler");
    }

    private static byte[] event(String name) throws IOException {
        try (InputStream in = EventParserTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
