package dev.cloudops.monitor.trigger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CloudWatch alarm notification an alarm's SNS action publishes (the {@code Message} of an SNS record),
 * which aws-lambda-java-events does not model: the fields the monitor reads. CloudWatch writes the
 * dimensions' keys in lower case ({@code name}, {@code value}); upper case is accepted too.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AlarmNotification(@JsonProperty("AlarmName") String alarmName,
        @JsonProperty("NewStateValue") String newStateValue,
        @JsonProperty("NewStateReason") String newStateReason,
        @JsonProperty("Trigger") MetricTrigger metric) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATES = Set.of("ALARM", "OK", "INSUFFICIENT_DATA");

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MetricTrigger(@JsonProperty("Dimensions") List<Dimension> dimensions) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Dimension(@JsonProperty("name") String name, @JsonProperty("value") String value,
            @JsonProperty("Name") String upperName, @JsonProperty("Value") String upperValue) {
    }

    /** @throws InvalidEventException when the message lacks a valid AlarmName and NewStateValue */
    static AlarmNotification read(JsonNode message, String where) {
        AlarmNotification n;
        try {
            n = JSON.treeToValue(message, AlarmNotification.class);
        } catch (Exception e) {
            n = null;
        }
        if (n == null || n.alarmName() == null || n.alarmName().isBlank() || n.newStateValue() == null
                || !STATES.contains(n.newStateValue())) {
            throw new InvalidEventException(where + " is a CloudWatch alarm notification without a valid AlarmName "
                    + "and NewStateValue (ALARM, OK or INSUFFICIENT_DATA)");
        }
        return n;
    }

    /** The trigger: the alarm's name, new state and reason, and its metric's dimensions. */
    Trigger.Alarm trigger() {
        Map<String, String> dimensions = new LinkedHashMap<>();
        if (metric != null && metric.dimensions() != null) {
            for (Dimension d : metric.dimensions()) {
                String key = d == null ? null : d.name() != null ? d.name() : d.upperName();
                String value = d == null ? null : d.value() != null ? d.value() : d.upperValue();
                if (key != null && value != null) {
                    dimensions.put(key, value);
                }
            }
        }
        return new Trigger.Alarm(alarmName, newStateValue, newStateReason, dimensions);
    }
}
