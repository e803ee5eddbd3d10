package dev.cloudops.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.CloudopsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the execution function is invoked with: SNS records whose message is
 * {@code {"alert_id": "...", "plan_hash": "..."}}, or an EventBridge scheduled event (run what is due).
 */
final class ExecutionEvents {

    /** What an invocation asks for. */
    sealed interface Invocation {
        record Execute(List<ExecutionRequest> requests) implements Invocation {
        }

        record RunDue() implements Invocation {
        }
    }

    private final ObjectMapper json;

    ExecutionEvents(ObjectMapper json) {
        this.json = json;
    }

    /** @throws CloudopsException naming what is wrong with the event */
    Invocation parse(byte[] event) {
        JsonNode root;
        try {
            root = json.readTree(event);
        } catch (IOException e) {
            throw new CloudopsException("the event is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new CloudopsException("the event is not a JSON object");
        }
        if ("aws.events".equals(root.path("source").asText()) || "aws.scheduler".equals(root.path("source").asText())) {
            return new Invocation.RunDue();
        }
        JsonNode records = root.path("Records");
        if (!records.isArray() || records.isEmpty()) {
            throw new CloudopsException("expected SNS records or a scheduled event, got fields " + fieldNames(root));
        }
        List<ExecutionRequest> requests = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode sns = records.get(i).path("Sns");
            if (!sns.isObject()) {
                throw new CloudopsException("Records[" + i + "] is not an SNS record");
            }
            JsonNode message;
            try {
                message = json.readTree(sns.path("Message").asText());
            } catch (IOException e) {
                throw new CloudopsException("Records[" + i + "].Sns.Message is not JSON");
            }
            String alertId = message == null ? "" : message.path("alert_id").asText("");
            String planHash = message == null ? "" : message.path("plan_hash").asText("");
            if (!alertId.matches("[0-9A-Za-z_-]{1,64}") || !planHash.matches("[0-9a-f]{64}")) {
                throw new CloudopsException("Records[" + i + "].Sns.Message must be {\"alert_id\": \"...\", "
                        + "\"plan_hash\": \"<64 hex>\"}");
            }
            requests.add(new ExecutionRequest(alertId, planHash));
        }
        return new Invocation.Execute(requests);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
