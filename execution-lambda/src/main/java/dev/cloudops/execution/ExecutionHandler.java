package dev.cloudops.execution;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.json.EventJson;
import dev.cloudops.json.Json;
import dev.cloudops.trace.xray.XRayTracing;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.snapstart.SnapStartHooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point of the execution function: execute messages from SNS ({@link SNSEvent}; each run within
 * the invocation's remaining time), or a scheduled run of what is due ({@link ScheduledEvent}), which also rolls
 * back executions cut short. The stream entry point binds the JSON into those types (common's
 * {@code EventJson}), and also takes the alert workflow's tasks ({@code {"cloudops_task": ...}}, with
 * Orchestration=stepfunctions), answering each with one JSON object.
 */
public final class ExecutionHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionHandler.class);

    private final Supplier<PlanExecutor> executor; // built on the first execution (or by SnapStart priming)
    private final DeferredExecutions deferred;
    private final AlertRepository alerts;
    private final AuditTrail audit;
    private final SnapStartHooks snapStart; // held here: the CRaC context only keeps a weak reference
    private final Clock clock;
    private final Orchestration orchestration;
    private final ExecutionEvents events = new ExecutionEvents(new EventJson());

    /** Used by Lambda: configuration from the environment, wired during INIT; SnapStart hooks registered. */
    public ExecutionHandler() {
        this(ExecutionConfig.from(System.getenv()), Clock.systemUTC());
        Core.getGlobalContext().register(snapStart);
    }

    private ExecutionHandler(ExecutionConfig config, Clock clock) {
        this(ExecutionWiring.wire(config, AwsClients.withDefaultCredentials(config.aws(),
                XRayTracing.toDaemon(config.telemetry().xrayDaemonAddress())), clock), clock);
    }

    /** The production wiring, or one whose clients point at emulators and whose metrics are recorded (tests). */
    ExecutionHandler(ExecutionWiring.Wired wired, Clock clock) {
        this.executor = wired.executor();
        this.deferred = wired.deferred();
        this.alerts = wired.alerts();
        this.audit = wired.audit();
        this.snapStart = wired.snapStart();
        this.clock = clock;
        this.orchestration = wired.orchestration();
    }

    /** The hooks Lambda runs around the snapshot. */
    SnapStartHooks snapStart() {
        return snapStart;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ExecutionEvents.Invocation invocation;
        try {
            invocation = events.parse(input.readAllBytes());
            if (invocation instanceof ExecutionEvents.Invocation.Task && orchestration != Orchestration.STEPFUNCTIONS) {
                throw new CloudopsException("a workflow task needs ORCHESTRATION=stepfunctions; this function runs "
                        + "execute messages (ORCHESTRATION=" + orchestration.wireName() + ")");
            }
        } catch (CloudopsException e) {
            // Logged once here; rethrown so Lambda records the failure and the message is retried or dead-lettered.
            LOG.error("execution invocation refused: {}", e.getMessage());
            throw e;
        }
        Json.mapper().writeValue(output, invocation instanceof ExecutionEvents.Invocation.Task t
                ? task(t.task(), context) : run(invocation, context));
    }

    /** One task of the alert workflow; its answer is the state machine's {@code $.Payload}. */
    private ObjectNode task(ExecutionEvents.WorkflowTask task, Context context) {
        Supplier<Duration> remaining = remaining(context);
        try {
            PhasedExecution phased = executor.get().phased();
            PhasedExecution.Answer answer = switch (task) {
                case ExecutionEvents.WorkflowTask.PreChecks p -> phased.prechecks(p.alertId(), p.planHash());
                case ExecutionEvents.WorkflowTask.Execute x -> phased.execute(x.alertId(), remaining);
                case ExecutionEvents.WorkflowTask.Verify v -> phased.verify(v.alertId(), remaining);
                case ExecutionEvents.WorkflowTask.Rollback r -> phased.rollback(r.alertId(), r.error());
            };
            return Json.mapper().createObjectNode().put("alert_id", task.alertId())
                    .put("outcome", answer.outcome().name())
                    .put("retry_at", answer.retryAt() == null ? null : answer.retryAt().toString())
                    .put("state", answer.state().name()).put("detail", answer.detail());
        } finally {
            audit.flush();
        }
    }

    private static Supplier<Duration> remaining(Context context) {
        return context == null ? () -> Duration.ofMinutes(15)
                : () -> Duration.ofMillis(context.getRemainingTimeInMillis());
    }

    /** Execute messages from the execute topic, one execution per record. */
    public ArrayNode handle(SNSEvent event, Context context) {
        return run(events.of(event), context);
    }

    /** The schedule's tick: executions that are due, and the roll-back of executions cut short. */
    public ArrayNode handle(ScheduledEvent event, Context context) {
        return run(events.of(event), context);
    }

    private ArrayNode run(ExecutionEvents.Invocation invocation, Context context) {
        ArrayNode outcomes = Json.mapper().createArrayNode();
        try {
            Supplier<Duration> remaining = remaining(context);
            var requests = switch (invocation) {
                case ExecutionEvents.Invocation.Execute x -> x.requests();
                case ExecutionEvents.Invocation.RunDue d -> deferred.due(clock.instant());
                case ExecutionEvents.Invocation.Task t -> throw new IllegalArgumentException("a task is not a batch");
            };
            if (invocation instanceof ExecutionEvents.Invocation.RunDue && !alerts.listExecuting(1).isEmpty()) {
                // Executions cut short by their invocation's end are rolled back here, not left EXECUTING; the
                // executor is built only when some execution is in flight, as most scheduled runs find none.
                executor.get().recoverStuck().forEach(o -> outcomes.add(Json.mapper().valueToTree(describe(o))));
            }
            for (ExecutionRequest request : requests) {
                outcomes.add(Json.mapper().valueToTree(describe(executor.get().execute(request, remaining))));
            }
        } finally {
            audit.flush();
        }
        return outcomes;
    }

    private static java.util.Map<String, String> describe(ExecutionOutcome outcome) {
        return switch (outcome) {
            case ExecutionOutcome.NotFound n -> java.util.Map.of("alert_id", n.alertId(), "outcome", "NOT_FOUND");
            case ExecutionOutcome.NotClaimed n -> java.util.Map.of("alert_id", n.alertId(), "outcome", "NOT_CLAIMED",
                    "state", n.state().name());
            case ExecutionOutcome.Deferred d -> java.util.Map.of("alert_id", d.alertId(), "outcome", "DEFERRED",
                    "at", d.at().toString(), "reason", d.reason());
            case ExecutionOutcome.Finished f -> java.util.Map.of("alert_id", f.alertId(), "outcome", f.state().name(),
                    "detail", f.detail());
        };
    }
}
