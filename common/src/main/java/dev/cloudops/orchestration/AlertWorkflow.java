package dev.cloudops.orchestration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * The per-alert Standard state machine (statemachines/alert-workflow.asl.json) seen from the functions:
 * starts it for an alert, exactly once, and answers its approval step with the decision.
 *
 * <p>Exactly once: the execution's name is derived from the alert id and the hash of the plan it starts
 * with ({@link #executionName}), and its input from the alert id alone, so a second start for the same alert
 * and plan is refused by Step Functions itself ({@code ExecutionAlreadyExists}), or, while the first runs,
 * answered with the first one's ARN; either way one execution runs.
 *
 * <p>The approval step is a {@code lambda:invoke.waitForTaskToken} task: the approval function stores its
 * token on the alert ({@link #awaitDecision}) and, once people decided, answers it ({@link #answer}). Whichever
 * comes second (the token stored, or the decision recorded) sends the answer, so neither order loses it:
 * the token is stored only while the alert is PENDING_APPROVAL, and the decision is written before its
 * token is read.
 */
public final class AlertWorkflow {

    /** The error a rejection ends the approval step with (its cause is the reason). */
    public static final String REJECTED = "cloudops.Rejected";
    /** The error the approval step ends with when the alert closed without a decision (expired, recovered). */
    public static final String CLOSED = "cloudops.Closed";

    private static final Logger LOG = LoggerFactory.getLogger(AlertWorkflow.class);
    private static final int MAX_NAME = 80;

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final WorkflowHandles handles;

    public AlertWorkflow(SfnClient sfn, String stateMachineArn, WorkflowHandles handles) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.stateMachineArn = stateMachineArn;
        this.handles = Objects.requireNonNull(handles, "handles");
    }

    /** A start: the execution's ARN, and whether another start had already made it. */
    public record Started(String executionArn, boolean duplicate) {
    }

    /**
     * The execution name for an alert and the plan the workflow starts with ({@code null} before the
     * analysis, which is the usual start): {@code <alert id>-<16 hex of SHA-256(alert id, plan hash)>},
     * within Step Functions' 80 characters of {@code [A-Za-z0-9_-]}.
     */
    public static String executionName(String alertId, String planHash) {
        String safe = alertId.replaceAll("[^A-Za-z0-9_-]", "_");
        String digest = sha256(alertId + "\n" + (planHash == null ? "" : planHash)).substring(0, 16);
        int room = MAX_NAME - digest.length() - 1;
        return (safe.length() > room ? safe.substring(0, room) : safe) + "-" + digest;
    }

    /** The execution's input: the alert id only, so the same start is the same request. */
    public static String input(String alertId) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("alert_id", alertId);
        return node.toString();
    }

    /**
     * Starts the workflow for the alert and records its execution ARN on the alert. A duplicate start
     * (the same alert and plan) starts nothing: Step Functions refuses it, and the ARN recorded by the
     * first start is returned.
     */
    public Started start(String alertId, String planHash) {
        if (stateMachineArn == null || stateMachineArn.isBlank()) {
            throw new IllegalStateException("no alert workflow state machine is configured (ALERT_WORKFLOW_ARN)");
        }
        String name = executionName(alertId, planHash);
        try {
            String arn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input(alertId)))
                    .executionArn();
            Optional<WorkflowHandles.Handles> recorded = handles.find(alertId);
            boolean duplicate = recorded.isPresent() && arn.equals(recorded.get().executionArn());
            if (!duplicate) {
                handles.recordExecution(alertId, arn);
            }
            LOG.info("alert workflow {}: {}", duplicate ? "already running" : "started", name);
            return new Started(arn, duplicate);
        } catch (ExecutionAlreadyExistsException e) {
            String arn = handles.find(alertId).map(WorkflowHandles.Handles::executionArn)
                    .orElse(stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name);
            LOG.info("alert workflow {} already exists; not started again", name);
            return new Started(arn, true);
        }
    }

    /** Whether a workflow was started for the alert (its execution ARN is recorded on it). */
    public boolean runsFor(String alertId) {
        return handles.find(alertId).map(h -> h.executionArn() != null).orElse(false);
    }

    /**
     * The approval step began: stores its token on the alert while the alert waits for a decision; when it
     * no longer does (people decided first, or it closed), answers the step at once with what happened.
     */
    public void awaitDecision(Alert alert, String taskToken) {
        awaitDecision(alert, taskToken, () -> alert);
    }

    /**
     * As {@link #awaitDecision(Alert, String)}, with {@code current} reading the alert again: when the token
     * cannot be stored although {@code alert} still waited, people decided between that read and the write,
     * and the answer must carry their decision, not the PENDING_APPROVAL read before it.
     */
    public void awaitDecision(Alert alert, String taskToken, Supplier<Alert> current) {
        Objects.requireNonNull(taskToken, "taskToken");
        Alert decided = alert;
        if (alert.state() == AlertState.PENDING_APPROVAL) {
            if (handles.storeTaskToken(alert.alertId(), taskToken)) {
                LOG.info("waiting for the decision on the alert");
                return;
            }
            decided = current.get();
        }
        // Decided (or closed) before the step began: the decision is on the alert; send it now.
        LOG.info("the alert is {} already; answering the approval step", decided.state());
        send(decided, taskToken);
    }

    /**
     * People decided (or the alert closed): answers the approval step waiting for this alert, if one is.
     * Returns false when no step waits (its token is not stored yet, and the step will see the decision
     * when it begins; or there is no workflow).
     */
    public boolean answer(Alert alert) {
        if (alert.state() == AlertState.PENDING_APPROVAL) {
            return false; // more approvals needed: keep waiting
        }
        Optional<String> token = handles.find(alert.alertId()).map(WorkflowHandles.Handles::taskToken);
        if (token.isEmpty()) {
            return false;
        }
        send(alert, token.get());
        handles.clearTaskToken(alert.alertId(), token.get());
        return true;
    }

    private void send(Alert alert, String token) {
        try {
            if (alert.state() == AlertState.APPROVED) {
                ObjectNode output = Json.mapper().createObjectNode();
                output.put("decision", "APPROVED");
                output.put("alert_id", alert.alertId());
                output.put("plan_hash", alert.planHash());
                sfn.sendTaskSuccess(b -> b.taskToken(token).output(output.toString()));
            } else if (alert.state() == AlertState.REJECTED) {
                sfn.sendTaskFailure(b -> b.taskToken(token).error(REJECTED).cause(cause(alert.rejectionReason())));
            } else {
                sfn.sendTaskFailure(b -> b.taskToken(token).error(CLOSED).cause("the alert is " + alert.state()));
            }
            LOG.info("answered the approval step: {}", alert.state());
        } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException e) {
            // The step ended already (timed out into Expire, or answered by a racing request): nothing waits.
            LOG.info("the approval step no longer waits: {}", e.getClass().getSimpleName());
        }
    }

    /** Step Functions takes at most 32,768 characters of cause. */
    private static String cause(String reason) {
        String text = reason == null ? "rejected" : reason;
        return text.length() > 32_000 ? text.substring(0, 32_000) : text;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
