package dev.cloudops.testing;

import dev.cloudops.alert.AuditEvent;
import dev.cloudops.audit.AuditTrail;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuditTrail} that keeps what it was given and how often it was flushed. */
public final class RecordingAuditTrail implements AuditTrail {

    /** One recorded event and its alert. */
    public record Entry(String alertId, AuditEvent event) {
    }

    private final List<Entry> recorded = new CopyOnWriteArrayList<>();
    private volatile int flushes;

    @Override
    public void record(String alertId, AuditEvent event) {
        recorded.add(new Entry(alertId, event));
    }

    @Override
    public void flush() {
        flushes++;
    }

    public List<Entry> entries() {
        return List.copyOf(recorded);
    }

    public int flushes() {
        return flushes;
    }
}
