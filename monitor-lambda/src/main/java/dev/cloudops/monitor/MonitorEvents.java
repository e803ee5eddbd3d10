package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;

/**
 * What the monitor tells the world: an alert was raised (analysed, or not yet when analysis was late),
 * its late analysis arrived, or a target recovered and its alert was resolved.
 */
public interface MonitorEvents {

    void raised(Alert alert);

    void analysisArrived(Alert analysed);

    void recovered(Alert resolved);

    void expired(Alert expired);
}
