package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.cloudops.CloudopsException;
import dev.cloudops.json.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class ExecutionEventsTest {

    private final ExecutionEvents events = new ExecutionEvents(new EventJson());

    @ParameterizedTest
    @Event(value = "events/sns-execute-with-attributes.json", type = SNSEvent.class)
    void anExecuteMessage_withItsAlertIdAttribute(SNSEvent event) {
        assertThat(event.getRecords().getFirst().getSNS().getMessageAttributes().get("alert_id").getValue())
                .isEqualTo("01JD8ZK4Q6M3N7P2R5S9T1V0WX");

        assertThat(events.of(event)).isEqualTo(new ExecutionEvents.Invocation.Execute(List.of(
                new ExecutionRequest("01JD8ZK4Q6M3N7P2R5S9T1V0WX", "3f".repeat(32)))));
    }

    @ParameterizedTest
    @Event(value = "events/scheduled-event.json", type = ScheduledEvent.class)
    void theSchedule_runsWhatIsDue(ScheduledEvent event) {
        assertThat(events.of(event)).isInstanceOf(ExecutionEvents.Invocation.RunDue.class);
    }

    @Test
    void theStreamEntryPoint_bindsAsLambdasSerializerDoes() {
        SNSEvent loaded = EventLoader.loadSNSEvent("events/sns-execute-with-attributes.json");
        assertThat(events.parse(ExecutionTestBed.read("/events/sns-execute-with-attributes.json")
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(events.of(loaded));
    }

    @Test
    void anAlertIdAttribute_namingAnotherAlert_isRefused() {
        SNSEvent event = EventLoader.loadSNSEvent("events/sns-execute-with-attributes.json");
        event.getRecords().getFirst().getSNS().getMessageAttributes().get("alert_id").setValue("01OTHER");

        assertThatThrownBy(() -> events.of(event)).isInstanceOf(CloudopsException.class)
                .hasMessage("Records[0].Sns.MessageAttributes.alert_id (01OTHER) is not the message's alert_id "
                        + "(01JD8ZK4Q6M3N7P2R5S9T1V0WX)");
    }

    @Test
    void parse_readsEverySnsRecord() {
        String message = "{\\\"alert_id\\\":\\\"01JABC\\\",\\\"plan_hash\\\":\\\"" + "ab".repeat(32) + "\\\"}";
        String event = ExecutionTestBed.read("/events/sns-execute-x5.json").replace("${MESSAGE}", message)
                .replace("${ALERT_ID}", "01JABC");

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
        assertThatThrownBy(() -> events.parse("{\"source\":\"aws.events\",\"time\":\"soon\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a valid ScheduledEvent: 'time'");
        assertThatThrownBy(() -> events.parse("{\"Records\":[{\"S3\":{}}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("Records[0] is not an SNS record");
    }
}
