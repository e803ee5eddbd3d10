package dev.cloudops.execution;

import java.util.Objects;

/** What the execute topic carries: which alert, and the hash of the plan that was approved. */
public record ExecutionRequest(String alertId, String planHash) {

    public ExecutionRequest {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(planHash, "planHash");
    }
}
