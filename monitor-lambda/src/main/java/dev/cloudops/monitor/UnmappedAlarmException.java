package dev.cloudops.monitor;

import dev.cloudops.CloudopsException;
import java.util.Map;

/** A CloudWatch alarm that no target claims, by name or by dimension value. */
public final class UnmappedAlarmException extends CloudopsException {

    UnmappedAlarmException(String alarm, Map<String, String> dimensions) {
        super("CloudWatch alarm '" + alarm + "' maps to no target: list it under a target's alarm_names, or give it "
                + "a dimension whose value is a target's host or URL (dimensions: " + dimensions + ")");
    }
}
