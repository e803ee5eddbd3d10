package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;

/** What the monitor tells the world: an alert was raised, or a target recovered and its alert was resolved. */
public interface MonitorEvents {

    void raised(Alert alert);

    void recovered(Alert resolved);
}
