package dev.cloudops.orchestration;

import dev.cloudops.CloudopsException;
import java.util.Locale;

/**
 * How an alert travels from detection to a verified fix (the template's {@code Orchestration} parameter, the
 * functions' {@code ORCHESTRATION} variable): {@link #DIRECT}, the functions hand it on themselves (the monitor
 * analyses and notifies, the approval function publishes to the execute topic); {@link #STEPFUNCTIONS}, a
 * Standard state machine per alert calls each function for one task and waits for the decision
 * (statemachines/alert-workflow.asl.json).
 */
public enum Orchestration {
    DIRECT, STEPFUNCTIONS;

    /** {@code direct} or {@code stepfunctions}; empty or absent is {@code direct}. */
    public static Orchestration parse(String value) {
        if (value == null || value.isBlank()) {
            return DIRECT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "direct" -> DIRECT;
            case "stepfunctions" -> STEPFUNCTIONS;
            default -> throw new CloudopsException("ORCHESTRATION must be direct or stepfunctions, was \"" + value + "\"");
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
