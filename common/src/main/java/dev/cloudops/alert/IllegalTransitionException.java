package dev.cloudops.alert;

import dev.cloudops.CloudopsException;
import java.util.Set;

/** An operation was asked of an alert in a state that does not allow it. */
public final class IllegalTransitionException extends CloudopsException {

    private final String alertId;
    private final AlertState current;
    private final String attempted;

    IllegalTransitionException(String alertId, AlertState current, String attempted, Set<AlertState> allowedFrom) {
        super("alert " + alertId + " is " + current + ": cannot " + attempted + " (allowed only from "
                + allowedFrom + ")");
        this.alertId = alertId;
        this.current = current;
        this.attempted = attempted;
    }

    public String alertId() {
        return alertId;
    }

    public AlertState current() {
        return current;
    }

    public String attempted() {
        return attempted;
    }
}
