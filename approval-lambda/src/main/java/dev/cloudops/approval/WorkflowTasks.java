package dev.cloudops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.json.Json;
import dev.cloudops.logging.LogContext;
import dev.cloudops.orchestration.AlertWorkflow;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The approval function's task of the alert workflow (statemachines/alert-workflow.asl.json):
 * {@code {"cloudops_task":"await_decision","alert_id":..,"task_token":..}}, the approval step beginning. Its
 * token is kept on the alert until people decide, or, when they already did, the step is answered at once.
 * Answers {@code {"alert_id":..}}; an event it cannot run fails the invocation with the reason.
 */
final class WorkflowTasks {

    /** The field naming the task in a task event. */
    static final String TASK = "cloudops_task";
    static final String AWAIT_DECISION = "await_decision";


    private final AlertRepository alerts;
    private final AlertWorkflow workflow;

    /** With the alert workflow (ORCHESTRATION=stepfunctions). */
    WorkflowTasks(AlertRepository alerts, AlertWorkflow workflow) {
        this.alerts = alerts;
        this.workflow = workflow;
    }

    /** Without it (ORCHESTRATION=direct): every task event is refused. */
    static WorkflowTasks none() {
        return new WorkflowTasks(null, null);
    }

    /** Whether an event is a task event (any JSON object with {@code cloudops_task}), not an HTTP API one. */
    static boolean isTask(JsonNode event) {
        return event.has(TASK);
    }

    /**
     * Runs one task event; idempotent (Step Functions retries tasks).
     *
     * @throws CloudopsException naming what is wrong with the event, or the alert it names
     */
    byte[] run(JsonNode event) {
        JsonNode task = event.get(TASK);
        if (!task.isTextual() || !AWAIT_DECISION.equals(task.asText())) {
            throw new CloudopsException("unknown cloudops_task " + task + ": the approval function runs only "
                    + AWAIT_DECISION);
        }
        if (workflow == null) {
            throw new CloudopsException(AWAIT_DECISION + " needs ORCHESTRATION=stepfunctions; this approval function "
                    + "runs with ORCHESTRATION=direct");
        }
        String alertId = text(event, "alert_id");
        String token = text(event, "task_token");
        try (var ignored = LogContext.alert(alertId)) {
            workflow.awaitDecision(find(alertId), token, () -> find(alertId));
            return answer(alertId);
        }
    }

    private Alert find(String alertId) {
        Optional<Alert> alert = alerts.find(alertId);
        return alert.orElseThrow(() -> new CloudopsException(AWAIT_DECISION + ": there is no alert " + alertId));
    }

    private static byte[] answer(String alertId) {
        return Json.mapper().createObjectNode().put("alert_id", alertId).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            throw new CloudopsException(AWAIT_DECISION + ": the task event has no " + field);
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new CloudopsException(AWAIT_DECISION + ": " + field + " must be a non-empty string");
        }
        return value.asText();
    }
}
