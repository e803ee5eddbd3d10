package dev.cloudops.alert;

import dev.cloudops.CloudopsException;

/** The same person tried to approve one alert twice; a second approval must come from someone else. */
public final class DuplicateApproverException extends CloudopsException {

    DuplicateApproverException(String alertId, String approver) {
        super("alert " + alertId + " was already approved by " + approver
                + "; the next approval must come from a different person");
    }
}
