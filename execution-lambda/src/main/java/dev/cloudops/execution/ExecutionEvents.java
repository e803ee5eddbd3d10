package dev.cloudops.execution;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.json.EventJson;
import dev.cloudops.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the execution function is invoked with, bound into its event type by common's {@link EventJson}: an
 * {@link SNSEvent} from the execute topic, an EventBridge {@link ScheduledEvent} (run what is due), or one task
 * of the alert workflow ({@code {"cloudops_task": "prechecks" | "execute" | "verify" | "rollback", "alert_id":
 * ...}}, statemachines/alert-workflow.asl.json). The execute message inside each SNS record
 * ({@code {"alert_id": "...", "plan_hash": "..."}}, published with an {@code alert_id} message attribute) is
 * read here.
 */
final class ExecutionEvents {

    private static final String ALERT_ID = "[0-9A-Za-z_-]{1,64}";
    private static final String PLAN_HASH = "[0-9a-f]{64}";

    /** What an invocation asks for. */
    sealed interface Invocation {
        record Execute(List<ExecutionRequest> requests) implements Invocation {
        }

        record RunDue() implements Invocation {
        }

        /** One task of the alert workflow. */
        record Task(WorkflowTask task) implements Invocation {
        }
    }

    /** The alert workflow's tasks for the execution function, as the state machine sends them. */
    sealed interface WorkflowTask {
        String alertId();

        record PreChecks(String alertId, String planHash) implements WorkflowTask {
        }

        record Execute(String alertId) implements WorkflowTask {
        }

        record Verify(String alertId) implements WorkflowTask {
        }

        /** {@code error}: the state machine's {@code {"Error": ..., "Cause": ...}} of the task that failed. */
        record Rollback(String alertId, JsonNode error) implements WorkflowTask {
        }
    }

    private final EventJson events;

    ExecutionEvents(EventJson events) {
        this.events = events;
    }

    /** @throws CloudopsException naming what is wrong with the event */
    Invocation parse(byte[] event) {
        JsonNode root;
        try {
            root = events.tree(event);
            String source = root.path("source").asText();
            if ("aws.events".equals(source) || "aws.scheduler".equals(source)) {
                return of(events.read(root, ScheduledEvent.class));
            }
            if (root.has("cloudops_task")) {
                return new Invocation.Task(task(root));
            }
            JsonNode records = root.path("Records");
            if (!records.isArray() || records.isEmpty()) {
                List<String> names = new ArrayList<>();
                root.fieldNames().forEachRemaining(names::add);
                throw new CloudopsException("expected SNS records or a scheduled event, got fields " + names);
            }
            return of(events.read(root, SNSEvent.class));
        } catch (EventJson.UnreadableEventException e) {
            throw new CloudopsException(e.getMessage().startsWith("the event is not JSON") ? "the event is not JSON"
                    : e.getMessage().startsWith("the event must be") ? "the event is not a JSON object" : e.getMessage());
        }
    }

    /** A workflow task: its name, its alert, and what that task needs besides. */
    static WorkflowTask task(JsonNode event) {
        JsonNode name = event.get("cloudops_task");
        if (name == null || !name.isTextual()) {
            throw new CloudopsException("cloudops_task must be a string: prechecks, execute, verify or rollback");
        }
        JsonNode id = event.get("alert_id");
        if (id == null || !id.isTextual() || !id.asText().matches(ALERT_ID)) {
            throw new CloudopsException("the " + safe(name.asText()) + " task needs alert_id (1-64 of A-Z a-z 0-9 _ -)");
        }
        String alertId = id.asText();
        return switch (name.asText()) {
            case "prechecks" -> {
                JsonNode hash = event.get("plan_hash");
                if (hash == null || !hash.isTextual() || !hash.asText().matches(PLAN_HASH)) {
                    throw new CloudopsException("the prechecks task needs plan_hash (64 lowercase hex)");
                }
                yield new WorkflowTask.PreChecks(alertId, hash.asText());
            }
            case "execute" -> new WorkflowTask.Execute(alertId);
            case "verify" -> new WorkflowTask.Verify(alertId);
            case "rollback" -> {
                JsonNode error = event.get("error");
                if (error == null || !error.isObject()) {
                    throw new CloudopsException("the rollback task needs error ({\"Error\": ..., \"Cause\": ...})");
                }
                yield new WorkflowTask.Rollback(alertId, error);
            }
            default -> throw new CloudopsException("unknown cloudops_task '" + safe(name.asText())
                    + "': the execution function runs prechecks, execute, verify and rollback");
        };
    }

    /** A name from the event, short and printable, for an error message. */
    private static String safe(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
    }

    /** The schedule's tick (EventBridge rules or Scheduler): run the executions that are due. */
    Invocation of(ScheduledEvent event) {
        if (!"aws.events".equals(event.getSource()) && !"aws.scheduler".equals(event.getSource())) {
            throw new CloudopsException("a scheduled event must come from aws.events or aws.scheduler, not "
                    + event.getSource());
        }
        return new Invocation.RunDue();
    }

    /** One execution request per record; every record must be a valid execute message. */
    Invocation of(SNSEvent event) {
        List<SNSEvent.SNSRecord> records = event.getRecords();
        if (records == null || records.isEmpty()) {
            throw new CloudopsException("expected SNS records or a scheduled event, got no records");
        }
        List<ExecutionRequest> requests = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SNSEvent.SNSRecord record = records.get(i);
            if (record == null || record.getSNS() == null) {
                throw new CloudopsException("Records[" + i + "] is not an SNS record");
            }
            requests.add(message(record.getSNS(), "Records[" + i + "].Sns"));
        }
        return new Invocation.Execute(requests);
    }

    /** The execute message's body; an {@code alert_id} attribute, when present, must name the same alert. */
    private static ExecutionRequest message(SNSEvent.SNS sns, String where) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(sns.getMessage() == null ? "" : sns.getMessage());
        } catch (IOException e) {
            throw new CloudopsException(where + ".Message is not JSON");
        }
        String alertId = message == null ? "" : message.path("alert_id").asText("");
        String planHash = message == null ? "" : message.path("plan_hash").asText("");
        if (!alertId.matches(ALERT_ID) || !planHash.matches(PLAN_HASH)) {
            throw new CloudopsException(where + ".Message must be {\"alert_id\": \"...\", \"plan_hash\": \"<64 hex>\"}");
        }
        Map<String, SNSEvent.MessageAttribute> attributes = sns.getMessageAttributes();
        SNSEvent.MessageAttribute attribute = attributes == null ? null : attributes.get("alert_id");
        if (attribute != null && !alertId.equals(attribute.getValue())) {
            throw new CloudopsException(where + ".MessageAttributes.alert_id (" + attribute.getValue()
                    + ") is not the message's alert_id (" + alertId + ")");
        }
        return new ExecutionRequest(alertId, planHash);
    }
}
