package dev.cloudops.monitor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.json.Json;
import dev.cloudops.trace.xray.XRayTracing;
import dev.cloudops.monitor.trigger.Task;
import dev.cloudops.monitor.trigger.Trigger;
import dev.cloudops.monitor.trigger.Triggers;
import dev.cloudops.snapstart.SnapStartHooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point of the monitor. One function gets an EventBridge {@link ScheduledEvent} (the schedule), an
 * {@link SNSEvent} (CloudWatch alarm notifications and manual requests published to the intake topic) or a
 * manual request invoked directly; the stream entry point tells them apart and binds each into its event type
 * (common's {@code EventJson}), then runs each trigger and returns the reports. With Step Functions orchestration it
 * also gets the workflows' tasks ({@code {"cloudops_task": ...}}) and returns each task's answer.
 */
public final class MonitorHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorHandler.class);

    private final DomainMonitor monitor;
    private final AuditTrail audit;
    private final SnapStartHooks snapStart; // held here: the CRaC context only keeps a weak reference
    private final Triggers triggers;
    private final WorkflowTasks tasks;
    private final Duration margin;
    private final Clock clock;

    /** Used by Lambda: configuration from the environment, wired during INIT; SnapStart hooks registered. */
    public MonitorHandler() {
        this(MonitorConfig.from(System.getenv()), Clock.systemUTC());
        Core.getGlobalContext().register(snapStart);
    }

    private MonitorHandler(MonitorConfig config, Clock clock) {
        this(config, AwsClients.withDefaultCredentials(config.aws(),
                XRayTracing.toDaemon(config.telemetry().xrayDaemonAddress())), clock);
    }

    /** The production wiring with given clients (tests point them at emulators). */
    MonitorHandler(MonitorConfig config, AwsClients clients, Clock clock) {
        this(MonitorWiring.wire(config, clients, clock), config.safetyMargin(), clock);
    }

    private MonitorHandler(MonitorWiring.Wired wired, Duration margin, Clock clock) {
        this.monitor = wired.monitor();
        this.triggers = wired.triggers();
        this.tasks = wired.monitor().tasks();
        this.audit = wired.audit();
        this.snapStart = wired.snapStart();
        this.margin = margin;
        this.clock = clock;
    }

    /** The hooks Lambda runs around the snapshot. */
    SnapStartHooks snapStart() {
        return snapStart;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode answer;
        try {
            Triggers.Event event = triggers.event(input.readAllBytes());
            answer = event instanceof Triggers.Event.Orchestrated workflow
                    ? task(workflow.task(), context)
                    : run(triggers.of(event), context);
        } catch (CloudopsException e) {
            // Logged once here; rethrown so Lambda records the failed invocation (and retries or dead-letters it).
            LOG.error("monitor invocation refused: {}", e.getMessage());
            throw e;
        }
        Json.mapper().writeValue(output, answer);
    }

    /** A workflow's task ({@code {"cloudops_task": ...}}): its answer is the state machine's {@code $.Payload}. */
    private ObjectNode task(Task task, Context context) {
        try {
            return tasks.run(task, deadline(context)).toJson(Json.mapper());
        } finally {
            audit.flush();
        }
    }

    /** The schedule's tick: probes every target. */
    public ArrayNode handle(ScheduledEvent event, Context context) {
        return run(List.of(triggers.of(event)), context);
    }

    /** CloudWatch alarm notifications and manual requests delivered through SNS, one trigger per record. */
    public ArrayNode handle(SNSEvent event, Context context) {
        return run(triggers.of(event), context);
    }

    private Instant deadline(Context context) {
        return clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(margin);
    }

    private ArrayNode run(List<Trigger> run, Context context) {
        Instant deadline = deadline(context);
        ArrayNode reports = Json.mapper().createArrayNode();
        try {
            for (Trigger trigger : run) {
                reports.add(monitor.handle(trigger, deadline).toJson(Json.mapper()));
            }
        } finally {
            audit.flush();
        }
        return reports;
    }
}
