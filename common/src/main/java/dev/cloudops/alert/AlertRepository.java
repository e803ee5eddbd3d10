package dev.cloudops.alert;

import java.time.Instant;
import java.util.Optional;

/** Where alerts live. Every change is conditional, so concurrent writers never overwrite each other. */
public interface AlertRepository {

    /**
     * Stores a new alert, setting its {@code ttl} from the store's retention when it has none.
     *
     * @return the alert as stored
     * @throws AlertAlreadyExistsException when an alert with the same id is already stored
     */
    Alert create(Alert alert);

    /** The alert with this id, read consistently, or empty. */
    Optional<Alert> find(String alertId);

    /**
     * Applies a transition in one conditional write that also appends its audit event. A writer that
     * lost a race gets {@link TransitionResult.Conflict} with the alert as it now is, never an exception.
     */
    TransitionResult apply(Transition transition);

    /**
     * One page of the alerts with this approval status, newest first.
     *
     * @param cursor the {@code nextCursor} of the previous page, or null for the first page
     * @throws InvalidCursorException when the cursor was not issued by this store for this status
     */
    Page<Alert> listByStatus(ApprovalStatus status, int limit, String cursor);

    /**
     * Counts one more occurrence of an open alert's failure: {@code occurrences} + 1 and {@code last_seen}
     * set, without a new version or audit event (so it never makes a concurrent decision lose its race).
     *
     * @return the alert as stored now, or empty when it is missing or no longer open
     */
    Optional<Alert> recordOccurrence(String alertId, Instant seenAt);

    /**
     * Appends an event that changes no state (a notification sent, a page viewed) to an alert's audit
     * trail, without a new version, chained onto the trail as stored ({@link AuditChain}); writers appending at
     * once each chain onto the other's entry, never onto the same one.
     *
     * @return false when the alert does not exist
     */
    boolean appendEvent(String alertId, AuditEvent event);

    /**
     * The head of the alert's audit trail as stored beside it, changed by the same conditional write as the trail
     * ({@link AuditChain#verify} checks a trail against it); empty for an unknown alert or one stored before the
     * trail was chained.
     */
    Optional<AuditChain.Head> storedHead(String alertId);

    /**
     * Notes a refused decision attempt on an alert: {@code refusedAttempts} + 1 and {@code lastRefusedAt} set
     * to the refusal's time, unless one was noted less than {@code quiet} before it, when nothing is written.
     * The event itself is not stored on the alert (decorators such as the audit log take it); like
     * {@link #recordOccurrence} there is no new version, so a flood of refused attempts neither grows the
     * alert nor makes a concurrent decision lose its race.
     *
     * @return true when noted; false when the alert does not exist or a refusal was noted within {@code quiet}
     */
    boolean noteRefusal(String alertId, AuditEvent refusal, java.time.Duration quiet);

    /** Up to {@code limit} alerts with this approval status detected before {@code before}, oldest first. */
    java.util.List<Alert> listByStatusBefore(ApprovalStatus status, java.time.Instant before, int limit);

    /**
     * Up to {@code limit} alerts being executed (state EXECUTING), oldest first: among them any execution an
     * invocation left behind, which the scheduled run rolls back.
     */
    java.util.List<Alert> listExecuting(int limit);

    /** The newest open (non-terminal) alert with this fingerprint ({@code domain#issue_type}), if any. */
    Optional<Alert> findOpenByFingerprint(String fingerprint);
}
