package dev.cloudops.trace;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AuditChain;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Page;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An alert store whose every operation is a {@code store alerts.<operation>} subsegment, annotated with the alert id. */
public final class TracedAlertRepository implements AlertRepository {

    private final AlertRepository alerts;
    private final Tracing tracing;

    public TracedAlertRepository(AlertRepository alerts, Tracing tracing) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    @Override
    public Alert create(Alert alert) {
        return tracing.subsegment("store alerts.create", span -> {
            span.annotate("alert_id", alert.alertId()).annotate("domain", alert.domain());
            return alerts.create(alert);
        });
    }

    @Override
    public Optional<Alert> find(String alertId) {
        return tracing.subsegment("store alerts.find", span -> {
            span.annotate("alert_id", alertId);
            return alerts.find(alertId);
        });
    }

    @Override
    public TransitionResult apply(Transition transition) {
        return tracing.subsegment("store alerts.apply", span -> {
            span.annotate("alert_id", transition.alertId()).annotate("state", transition.after().state().name());
            TransitionResult result = alerts.apply(transition);
            span.annotate("applied", result instanceof TransitionResult.Applied);
            return result;
        });
    }

    @Override
    public Page<Alert> listByStatus(ApprovalStatus status, int limit, String cursor) {
        return tracing.subsegment("store alerts.listByStatus", span -> {
            span.annotate("status", status.name());
            return alerts.listByStatus(status, limit, cursor);
        });
    }

    @Override
    public Optional<Alert> recordOccurrence(String alertId, Instant seenAt) {
        return tracing.subsegment("store alerts.recordOccurrence", span -> {
            span.annotate("alert_id", alertId);
            return alerts.recordOccurrence(alertId, seenAt);
        });
    }

    @Override
    public boolean appendEvent(String alertId, AuditEvent event) {
        return tracing.subsegment("store alerts.appendEvent", span -> {
            span.annotate("alert_id", alertId).annotate("event", event.action().name());
            return alerts.appendEvent(alertId, event);
        });
    }

    @Override
    public Optional<AuditChain.Head> storedHead(String alertId) {
        return tracing.subsegment("store alerts.storedHead", span -> {
            span.annotate("alert_id", alertId);
            return alerts.storedHead(alertId);
        });
    }

    @Override
    public boolean noteRefusal(String alertId, AuditEvent refusal, java.time.Duration quiet) {
        return tracing.subsegment("store alerts.noteRefusal", span -> {
            span.annotate("alert_id", alertId);
            return alerts.noteRefusal(alertId, refusal, quiet);
        });
    }

    @Override
    public List<Alert> listByStatusBefore(ApprovalStatus status, Instant before, int limit) {
        return tracing.subsegment("store alerts.listByStatusBefore", span -> {
            span.annotate("status", status.name());
            return alerts.listByStatusBefore(status, before, limit);
        });
    }

    @Override
    public List<Alert> listExecuting(int limit) {
        return tracing.subsegment("store alerts.listExecuting", span -> alerts.listExecuting(limit));
    }

    @Override
    public Optional<Alert> findOpenByFingerprint(String fingerprint) {
        return tracing.subsegment("store alerts.findOpenByFingerprint", span -> alerts.findOpenByFingerprint(fingerprint));
    }
}
