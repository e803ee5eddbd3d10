package dev.cloudops.orchestration;

/** Starts the execution of an approved plan: publishes {@code {alert_id, plan_hash}} to the execute topic. */
public interface ExecutionTrigger {

    /** @throws RuntimeException when the message could not be handed over (nothing will run then) */
    void trigger(String alertId, String planHash);
}
