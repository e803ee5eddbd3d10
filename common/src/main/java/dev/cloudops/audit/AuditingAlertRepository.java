package dev.cloudops.audit;

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

/**
 * An alert store that also hands every audit event it stores to an {@link AuditTrail}: the events of
 * a created alert, of each applied transition and each appended event. Lost races and missing alerts
 * store nothing, so they record nothing. Refused decision attempts are the exception: the alert keeps
 * only a count of them, so each one is recorded here, in full.
 */
public final class AuditingAlertRepository implements AlertRepository {

    private final AlertRepository alerts;
    private final AuditTrail trail;

    public AuditingAlertRepository(AlertRepository alerts, AuditTrail trail) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.trail = Objects.requireNonNull(trail, "trail");
    }

    @Override
    public Alert create(Alert alert) {
        Alert stored = alerts.create(alert);
        stored.audit().forEach(event -> trail.record(stored.alertId(), event));
        return stored;
    }

    @Override
    public Optional<Alert> find(String alertId) {
        return alerts.find(alertId);
    }

    @Override
    public TransitionResult apply(Transition transition) {
        TransitionResult result = alerts.apply(transition);
        if (result instanceof TransitionResult.Applied applied) {
            // The entry as stored: chained onto the trail the store held when it wrote it.
            trail.record(transition.alertId(), applied.alert().audit().getLast());
        }
        return result;
    }

    @Override
    public Page<Alert> listByStatus(ApprovalStatus status, int limit, String cursor) {
        return alerts.listByStatus(status, limit, cursor);
    }

    @Override
    public Optional<Alert> recordOccurrence(String alertId, Instant seenAt) {
        return alerts.recordOccurrence(alertId, seenAt);
    }

    @Override
    public boolean appendEvent(String alertId, AuditEvent event) {
        boolean appended = alerts.appendEvent(alertId, event);
        if (appended) {
            // The entry as stored, with the link the store chained it to (one read; appends are rare).
            trail.record(alertId, alerts.find(alertId).flatMap(stored -> stored.audit().reversed().stream()
                    .filter(event::sameEntryAs).findFirst()).orElse(event));
        }
        return appended;
    }

    /** Records every refusal, whether the alert notes it or not: the audit log is where refusals are kept. */
    @Override
    public Optional<AuditChain.Head> storedHead(String alertId) {
        return alerts.storedHead(alertId);
    }

    @Override
    public boolean noteRefusal(String alertId, AuditEvent refusal, java.time.Duration quiet) {
        boolean noted = alerts.noteRefusal(alertId, refusal, quiet);
        trail.record(alertId, refusal);
        return noted;
    }

    @Override
    public List<Alert> listByStatusBefore(ApprovalStatus status, Instant before, int limit) {
        return alerts.listByStatusBefore(status, before, limit);
    }

    @Override
    public List<Alert> listExecuting(int limit) {
        return alerts.listExecuting(limit);
    }

    @Override
    public Optional<Alert> findOpenByFingerprint(String fingerprint) {
        return alerts.findOpenByFingerprint(fingerprint);
    }
}
