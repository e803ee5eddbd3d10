package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;

/**
 * The hand-off from detection to analysis: receives each newly stored DETECTED alert and returns it as
 * it now stands (analysed, or unchanged). A failure here never loses the alert; it stays DETECTED.
 */
public interface Investigator {

    Alert investigate(Alert detected);
}
