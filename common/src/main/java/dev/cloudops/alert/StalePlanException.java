package dev.cloudops.alert;

import dev.cloudops.CloudopsException;

/** A person approved a plan that is no longer the alert's plan (the page was older than the plan). */
public final class StalePlanException extends CloudopsException {

    StalePlanException(String alertId, String seen, String current) {
        super("the plan of alert " + alertId + " is not the one on your page (" + (seen == null ? "none" : seen)
                + " shown, " + (current == null ? "none" : current) + " now); reload the page and decide again");
    }
}
