package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.logging.LogContext;
import dev.cloudops.orchestration.AlertWorkflow;
import dev.cloudops.orchestration.WorkflowHandles;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * With Step Functions orchestration, a new alert stays DETECTED here and its workflow is started
 * (analysis and notification are the workflow's tasks). A start that fails leaves the alert DETECTED
 * without a workflow; each scheduled run starts the workflows of such alerts once they are older than
 * {@link #STARTED_WITHIN}. Starting twice is safe: the execution name is the alert's, and Step Functions
 * refuses a second execution of the same name.
 */
final class WorkflowStarts implements NewAlertHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowStarts.class);
    /** How long a new alert's own run has to start its workflow before a scheduled run steps in. */
    static final Duration STARTED_WITHIN = Duration.ofMinutes(1);
    /** DETECTED alerts looked at per scheduled run, oldest first. */
    private static final int RETRY_BATCH = 25;

    private final AlertWorkflow workflow;
    private final WorkflowHandles handles;
    private final AlertRepository alerts;
    private final Clock clock;

    WorkflowStarts(AlertWorkflow workflow, WorkflowHandles handles, AlertRepository alerts, Clock clock) {
        this.workflow = workflow;
        this.handles = handles;
        this.alerts = alerts;
        this.clock = clock;
    }

    @Override
    public Outcome handOff(Alert created) {
        try (var ignored = LogContext.alert(created.alertId())) {
            workflow.start(created.alertId(), null);
            return new Outcome(created, null);
        } catch (SdkException e) {
            try (var ignored = LogContext.alert(created.alertId())) {
                LOG.error("the alert workflow did not start; the alert stays DETECTED until a scheduled run "
                        + "starts it: {}", e.getMessage());
            }
            return new Outcome(created, "its workflow did not start: " + firstLine(e)
                    + "; a later scheduled run starts it");
        }
    }

    /**
     * Starts the workflow of every DETECTED alert older than {@link #STARTED_WITHIN} that has none recorded
     * (a batch per run, stopping at the first start that fails); the ids of the alerts whose workflow it
     * started.
     */
    List<String> startMissing() {
        List<String> started = new ArrayList<>();
        for (Alert detected : alerts.listByStatusBefore(ApprovalStatus.DETECTED,
                clock.instant().minus(STARTED_WITHIN), RETRY_BATCH)) {
            if (handles.find(detected.alertId()).map(WorkflowHandles.Handles::executionArn).orElse(null) != null) {
                continue; // its workflow runs, or ran (an analysis that failed leaves the alert DETECTED)
            }
            try (var ignored = LogContext.alert(detected.alertId())) {
                AlertWorkflow.Started start = workflow.start(detected.alertId(), null);
                if (start.duplicate()) {
                    // Started before, by a run that stopped before recording it: record it now, once.
                    handles.recordExecution(detected.alertId(), start.executionArn());
                } else {
                    started.add(detected.alertId());
                }
                LOG.info("started the workflow its own run could not start");
            } catch (SdkException e) {
                try (var ignored = LogContext.alert(detected.alertId())) {
                    LOG.warn("the alert workflow still does not start; the next scheduled run tries again: {}",
                            e.getMessage());
                }
                break; // Step Functions is unavailable for the others too: no need to wait on each
            }
        }
        return started;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
