package dev.cloudops.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Approval;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.runbook.AutoApproval;
import java.io.IOException;

/**
 * Tells people: a raised alert (analysed, with its review link) and a recovery go out on every channel; so does the
 * approval of a raised alert's plan by its learned runbook itself.
 */
public final class NotifyingMonitorEvents implements MonitorEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationDispatcher dispatcher;
    private final ReviewLinks links;
    private final ArtifactStore artifacts;
    private final MonitorEvents log;

    public NotifyingMonitorEvents(NotificationDispatcher dispatcher, ReviewLinks links, ArtifactStore artifacts,
            MonitorEvents log) {
        this.dispatcher = dispatcher;
        this.links = links;
        this.artifacts = artifacts;
        this.log = log;
    }

    @Override
    public void raised(Alert alert) {
        log.raised(alert);
        dispatcher.dispatch(notification(alert, false));
        approvedByItsRunbook(alert);
    }

    @Override
    public void analysisArrived(Alert analysed) {
        log.analysisArrived(analysed);
        dispatcher.dispatch(notification(analysed, true));
        approvedByItsRunbook(analysed);
    }

    /** After the alert itself, that its runbook approved its plan by itself: the decision people would have made. */
    private void approvedByItsRunbook(Alert alert) {
        if (AutoApproval.approvedByItsRunbook(alert)) {
            Approval approval = alert.approvals().getLast();
            dispatcher.dispatch(new Notification.DecisionRecorded(Notification.AlertRef.of(alert), "approved",
                    approval.by(), approval.verified(), approval.comment(), links.review(alert.alertId())));
        }
    }

    private Notification.AlertRaised notification(Alert alert, boolean followUp) {
        String summary = alert.agentAnalysis() != null ? alert.agentAnalysis()
                : "Not analysed yet; a follow-up comes with the analysis. The probe found: " + alert.errorDetails();
        return new Notification.AlertRaised(Notification.AlertRef.of(alert), firstSentence(summary), summary, Notification.PlanOutline.of(alert),
                evidenceCount(alert), alert.analyzer(), links.review(alert.alertId()),
                alert.s3AnalysisKey() == null ? null : links.report(alert.alertId()), followUp);
    }

    @Override
    public void recovered(Alert resolved) {
        log.recovered(resolved);
        String detail = resolved.audit().isEmpty() ? "The target is healthy again."
                : resolved.audit().getLast().detail();
        dispatcher.dispatch(new Notification.AlertRecovered(Notification.AlertRef.of(resolved), detail));
    }

    @Override
    public void expired(Alert expired) {
        log.expired(expired);
        String reason = expired.audit().isEmpty() ? "Nobody decided in time." : expired.audit().getLast().detail();
        dispatcher.dispatch(new Notification.AlertExpired(Notification.AlertRef.of(expired), reason));
    }

    /** How many items the stored evidence pack holds; null when there is none (yet) or it cannot be read. */
    private Integer evidenceCount(Alert alert) {
        if (alert.evidenceKey() == null) {
            return null;
        }
        try {
            return JSON.readTree(artifacts.get(alert.evidenceKey()).content()).path("items").size();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end > 0 && end < 300 ? text.substring(0, end + 1) : text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }
}
