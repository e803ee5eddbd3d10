package dev.cloudops.audit;

import dev.cloudops.alert.AuditEvent;

/**
 * The audit log outside the alert record (DESIGN.md section 8): events are queued as they happen and
 * written together when the invocation ends. Neither method throws: a failed write is reported and the
 * business operation it records stands (the event is still on the alert itself).
 */
public interface AuditTrail {

    /** Writes nothing; for tests, the local runner and deployments without an audit log group. */
    AuditTrail NONE = new AuditTrail() {
        @Override
        public void record(String alertId, AuditEvent event) {
        }

        @Override
        public void flush() {
        }
    };

    /** Queues one event of an alert's audit trail. */
    void record(String alertId, AuditEvent event);

    /** Writes every queued event; called once at the end of each invocation. */
    void flush();
}
