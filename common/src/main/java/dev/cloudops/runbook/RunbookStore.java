package dev.cloudops.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where learned runbooks are kept: DynamoDB in AWS, SQLite in the local runner. Every change is a conditional
 * write on the stored version, so two executions that verify the same fix at once count two successes and
 * neither is lost, and a promotion decided on a stale record is refused.
 */
public interface RunbookStore {

    /**
     * Records that {@code candidate}'s fix was verified: stores it as a new candidate when no runbook has its id,
     * else adds one verified success to the stored one (whatever its status). Returns the runbook as stored.
     */
    Runbook learned(Runbook candidate, Instant at);

    /** The runbook with this id. */
    Optional<Runbook> find(String id);

    /** The runbooks of one status, newest learned first, at most {@code limit}. */
    List<Runbook> list(Runbook.Status status, int limit);

    /**
     * Replaces the stored runbook with {@code next} (same id) if it is still at {@code next.version()}; the stored
     * copy then has version + 1. Empty when another write came first (read again and decide again).
     */
    Optional<Runbook> replace(Runbook next);
}
