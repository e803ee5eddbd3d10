package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.CloudopsException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecutionEventsTest {

    private final ExecutionEvents events = new ExecutionEvents(new ObjectMapper());

    @Test
    void parse_readsEverySnsRecord() {
        String message = "{\\\"alert_id\\\":\\\"01JABC\\\",\\\"plan_hash\\\":\\\"" + "ab".repeat(32) + "\\\"}";
        String event = ExecutionTestBed.read("/events/sns-execute-x5.json").replace("${MESSAGE}", message);

        ExecutionEvents.Invocation invocation = events.parse(event.getBytes(StandardCharsets.UTF_8));

        assertThat(invocation).isInstanceOfSatisfying(ExecutionEvents.Invocation.Execute.class, x ->
                assertThat(x.requests()).hasSize(5).allSatisfy(r -> {
                    assertThat(r.alertId()).isEqualTo("01JABC");
                    assertThat(r.planHash()).isEqualTo("ab".repeat(32));
                }));
    }

    @Test
    void parse_knowsTheScheduledEvent() {
        assertThat(events.parse(ExecutionTestBed.read("/events/scheduled-event.json").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ExecutionEvents.Invocation.RunDue.class);
    }

    @Test
    void parse_refusesMalformedEventsWithAClearReason() {
        assertThatThrownBy(() -> events.parse("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CloudopsException.class).hasMessage("the event is not JSON");
        assertThatThrownBy(() -> events.parse("{\"detail\":{}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("expected SNS records or a scheduled event, got fields [detail]");
        assertThatThrownBy(() -> events.parse("{\"Records\":[{\"Sns\":{\"Message\":\"{\\\"alert_id\\\":\\\"x\\\"}\"}}]}"
                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Records[0].Sns.Message must be {\"alert_id\"");
        assertThatThrownBy(() -> events.parse("{\"Records\":[{\"S3\":{}}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("Records[0] is not an SNS record");
    }
}
