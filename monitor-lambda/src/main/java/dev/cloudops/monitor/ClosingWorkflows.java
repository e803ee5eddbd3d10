package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;
import dev.cloudops.logging.LogContext;
import dev.cloudops.orchestration.AlertWorkflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With the alert workflow (ORCHESTRATION=stepfunctions): an alert the monitor closes while people have not
 * decided (its target recovered, or the decision window passed on a scheduled run) ends its workflow's wait
 * at once ({@code cloudops.Closed}), instead of at the approval task's timeout. Telling the workflow is best
 * effort: when it fails, the wait still ends at its timeout, and the expire task then finds the alert closed.
 */
final class ClosingWorkflows implements MonitorEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ClosingWorkflows.class);

    private final MonitorEvents next;
    private final AlertWorkflow workflow;

    ClosingWorkflows(MonitorEvents next, AlertWorkflow workflow) {
        this.next = next;
        this.workflow = workflow;
    }

    @Override
    public void raised(Alert alert) {
        next.raised(alert);
    }

    @Override
    public void analysisArrived(Alert analysed) {
        next.analysisArrived(analysed);
    }

    @Override
    public void recovered(Alert resolved) {
        next.recovered(resolved);
        close(resolved);
    }

    @Override
    public void expired(Alert expired) {
        next.expired(expired);
        close(expired);
    }

    private void close(Alert closed) {
        try (var ignored = LogContext.alert(closed.alertId())) {
            if (workflow.answer(closed)) {
                LOG.info("the alert workflow's approval step was ended: the alert is {}", closed.state());
            }
        } catch (RuntimeException e) {
            // The class only: an SDK error's message may quote the request, and so the task token.
            LOG.warn("the alert workflow could not be told the alert is {} ({}); its approval step ends at its "
                    + "timeout", closed.state(), e.getClass().getSimpleName());
        }
    }
}
