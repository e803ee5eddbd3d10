package dev.cloudops.approval;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.approval.http.HttpApiEvents;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.json.EventJson;
import dev.cloudops.trace.xray.XRayTracing;
import dev.cloudops.snapstart.SnapStartHooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point of the approval function: an API Gateway HTTP API (payload 2.0) event in, a response out,
 * as {@link APIGatewayV2HTTPEvent} and {@link APIGatewayV2HTTPResponse}. The stream entry point binds the JSON
 * itself (common's {@code EventJson}), so a request that does not bind is answered 400 with the reason rather
 * than failing in the runtime. The alert workflow invokes it with a task event instead ({@code cloudops_task},
 * see {@link WorkflowTasks}), answered with the task's JSON; a task event it cannot run fails the invocation.
 */
public final class ApprovalHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalHandler.class);

    private final ReviewPortal portal;
    private final WorkflowTasks tasks;
    private final AuditTrail audit;
    private final SnapStartHooks snapStart; // held here (the CRaC context keeps a weak reference)
    private final EventJson json = new EventJson();
    private final HttpApiEvents events = new HttpApiEvents(json);
    private final Pages pages = new Pages();

    /** Used by Lambda: configuration from the environment, wired during INIT; SnapStart hooks registered. */
    public ApprovalHandler() {
        this(ApprovalConfig.from(System.getenv()));
        Core.getGlobalContext().register(snapStart);
    }

    private ApprovalHandler(ApprovalConfig config) {
        this(ApprovalWiring.wire(config, AwsClients.withDefaultCredentials(config.aws(),
                XRayTracing.toDaemon(config.telemetry().xrayDaemonAddress())), Clock.systemUTC()));
    }

    /** The production wiring, or one whose clients point at emulators (tests). */
    ApprovalHandler(ApprovalWiring.Wired wired) {
        this.portal = wired.portal();
        this.tasks = wired.tasks();
        this.audit = wired.audit();
        this.snapStart = wired.snapStart();
    }

    /** The hooks Lambda runs around the snapshot. */
    SnapStartHooks snapStart() {
        return snapStart;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readAllBytes();
        JsonNode root = tree(bytes);
        if (root != null && WorkflowTasks.isTask(root)) {
            output.write(tasks.run(root));
            return;
        }
        APIGatewayV2HTTPEvent event;
        try {
            event = root == null ? events.event(bytes) : events.event(root);
        } catch (MalformedRequestException e) {
            LOG.warn("malformed request: {}", e.getMessage());
            output.write(events.encode(pages.error(400, "Bad request", e.getMessage())));
            return;
        }
        output.write(events.encode(handle(event, context)));
    }

    /** The event's JSON object, or null when it is none (the HTTP path then answers 400 with the reason). */
    private JsonNode tree(byte[] event) {
        try {
            return json.tree(event);
        } catch (EventJson.UnreadableEventException e) {
            return null;
        }
    }

    /** One request: answered by the portal; a request it cannot read gets 400 with the reason, and changes nothing. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        HttpResponse response;
        try {
            HttpRequest request = events.request(event);
            response = portal.handle(request);
        } catch (MalformedRequestException e) {
            LOG.warn("malformed request: {}", e.getMessage());
            response = pages.error(400, "Bad request", e.getMessage());
        } finally {
            audit.flush();
        }
        return events.response(response);
    }
}
