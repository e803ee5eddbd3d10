package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event and hand-off it receives, for assertions. */
final class RecordingMonitorEvents implements MonitorEvents, Investigator {

    final List<Alert> raised = new CopyOnWriteArrayList<>();
    final List<Alert> recovered = new CopyOnWriteArrayList<>();
    final List<Alert> investigated = new CopyOnWriteArrayList<>();
    final List<Alert> arrived = new CopyOnWriteArrayList<>();
    final List<Alert> expired = new CopyOnWriteArrayList<>();

    @Override
    public void raised(Alert alert) {
        raised.add(alert);
    }

    @Override
    public void analysisArrived(Alert analysed) {
        arrived.add(analysed);
    }

    @Override
    public void expired(Alert alert) {
        expired.add(alert);
    }

    @Override
    public void recovered(Alert resolved) {
        recovered.add(resolved);
    }

    @Override
    public Alert investigate(Alert detected) {
        investigated.add(detected);
        return detected;
    }
}
