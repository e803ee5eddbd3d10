package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.CloudopsException;
import dev.cloudops.json.EventJson;
import dev.cloudops.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The alert workflow's task events as the state machine sends them, read by {@link ExecutionEvents}. */
class WorkflowTaskEventsTest {

    private static final String ALERT = "01JD8ZK4Q6M3N7P2R5S9T1V0WX";
    private static final String HASH = "3f".repeat(32);

    private final ExecutionEvents events = new ExecutionEvents(new EventJson());

    @Test
    void eachTaskFile_isReadAsItsTask() {
        assertThat(parse(file("task-prechecks.json"))).isEqualTo(new ExecutionEvents.Invocation.Task(
                new ExecutionEvents.WorkflowTask.PreChecks(ALERT, HASH)));
        assertThat(parse(file("task-execute.json"))).isEqualTo(new ExecutionEvents.Invocation.Task(
                new ExecutionEvents.WorkflowTask.Execute(ALERT)));
        assertThat(parse(file("task-verify.json"))).isEqualTo(new ExecutionEvents.Invocation.Task(
                new ExecutionEvents.WorkflowTask.Verify(ALERT)));
        assertThat(parse(file("task-rollback.json"))).isInstanceOfSatisfying(ExecutionEvents.Invocation.Task.class,
                t -> assertThat(t.task()).isInstanceOfSatisfying(ExecutionEvents.WorkflowTask.Rollback.class, r -> {
                    assertThat(r.alertId()).isEqualTo(ALERT);
                    assertThat(r.error().path("Error").asText()).isEqualTo("dev.cloudops.execution.PlanStepFailedException");
                }));
    }

    @Test
    void aBadTask_isRefused_namingWhatIsWrong() {
        assertThatThrownBy(() -> parse("{\"cloudops_task\":\"analyse\",\"alert_id\":\"" + ALERT + "\"}"))
                .isInstanceOf(CloudopsException.class).hasMessage("unknown cloudops_task 'analyse': the execution "
                        + "function runs prechecks, execute, verify and rollback");
        assertThatThrownBy(() -> parse("{\"cloudops_task\":42}")).isInstanceOf(CloudopsException.class)
                .hasMessage("cloudops_task must be a string: prechecks, execute, verify or rollback");
        assertThatThrownBy(() -> parse("{\"cloudops_task\":\"verify\"}")).isInstanceOf(CloudopsException.class)
                .hasMessage("the verify task needs alert_id (1-64 of A-Z a-z 0-9 _ -)");
        assertThatThrownBy(() -> parse("{\"cloudops_task\":\"execute\",\"alert_id\":\"../../etc\"}"))
                .isInstanceOf(CloudopsException.class).hasMessageContaining("needs alert_id");
        assertThatThrownBy(() -> parse("{\"cloudops_task\":\"prechecks\",\"alert_id\":\"" + ALERT
                + "\",\"plan_hash\":\"ABC\"}")).isInstanceOf(CloudopsException.class)
                .hasMessage("the prechecks task needs plan_hash (64 lowercase hex)");
        assertThatThrownBy(() -> parse("{\"cloudops_task\":\"rollback\",\"alert_id\":\"" + ALERT + "\"}"))
                .isInstanceOf(CloudopsException.class).hasMessageContaining("the rollback task needs error");
    }

    @Test
    void theRollbacksCause_isTheFailedTasksMessage_orTheErrorItself() throws Exception {
        String lambdaError = Json.mapper().createObjectNode().put("errorMessage", "step S2 (cloudfront.set_enabled) "
                + "failed: PreconditionFailed").put("errorType", "dev.cloudops.execution.PlanStepFailedException")
                .toString();

        assertThat(PhasedExecution.cause(Json.mapper().createObjectNode().put("Error", "x").put("Cause", lambdaError)))
                .isEqualTo("step S2 (cloudfront.set_enabled) failed: PreconditionFailed");
        assertThat(PhasedExecution.cause(Json.mapper().readTree("{\"Error\":\"States.Timeout\",\"Cause\":\"\"}")))
                .isEqualTo("the workflow's task failed (States.Timeout)");
        assertThat(PhasedExecution.cause(Json.mapper().createObjectNode().put("Error", "E").put("Cause",
                "y".repeat(2000)))).hasSize(1001).endsWith("…");
    }

    private ExecutionEvents.Invocation parse(String json) {
        return events.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String file(String name) {
        return ExecutionTestBed.read("/events/" + name).replace("${ALERT_ID}", ALERT).replace("${PLAN_HASH}", HASH)
                .replace("${ERROR}", "dev.cloudops.execution.PlanStepFailedException").replace("${CAUSE}", "{}");
    }
}
