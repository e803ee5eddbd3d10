package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;

/**
 * The hand-off from detection to analysis: receives each newly stored DETECTED alert. A failure here
 * never loses the alert; it stays DETECTED.
 */
public interface Investigator {

    void investigate(Alert detected);
}
