package dev.cloudops.execution;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.json.EventJson;
import dev.cloudops.json.Json;
import dev.cloudops.trace.xray.XRayTracing;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.metrics.Metrics;
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
 * {@code EventJson}).
 */
public final class ExecutionHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionHandler.class);

    private final Supplier<PlanExecutor> executor; // built on the first execution (or by SnapStart priming)
    private final DeferredExecutions deferred;
    private final AlertRepository alerts;
    private final AuditTrail audit;
    private final SnapStartHooks snapStart; // held here: the CRaC context only keeps a weak reference
    private final Clock clock;
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
        } catch (CloudopsException e) {
            // Logged once here; rethrown so Lambda records the failure and the message is retried or dead-lettered.
            LOG.error("execution invocation refused: {}", e.getMessage());
            throw e;
        }
        Json.mapper().writeValue(output, run(invocation, context));
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
            Supplier<Duration> remaining = context == null ? () -> Duration.ofMinutes(15)
                    : () -> Duration.ofMillis(context.getRemainingTimeInMillis());
            var requests = switch (invocation) {
                case ExecutionEvents.Invocation.Execute x -> x.requests();
                case ExecutionEvents.Invocation.RunDue d -> deferred.due(clock.instant());
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
