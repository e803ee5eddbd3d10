package dev.cloudops.alert;

import java.util.Locale;

/**
 * Which analyser wrote an alert's report and plan; stored in lower case. {@code RUNBOOK}: an active learned runbook
 * matched the alert's evidence and its plan was proposed without asking the agent or the rule engine.
 */
public enum Analyzer {
    BEDROCK, RULES, RUNBOOK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Analyzer fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
