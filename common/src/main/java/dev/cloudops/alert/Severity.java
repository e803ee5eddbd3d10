package dev.cloudops.alert;

/** How bad an alert is; decides who may approve its plan and how many people must. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW
}
