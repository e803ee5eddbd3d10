package dev.cloudops.execution.action;

import java.util.Map;
import java.util.TreeMap;

/**
 * The current state of what a step would change, read just now: plain facts that preconditions are
 * compared with ({@code record}, {@code alias_target}, {@code enabled}, {@code etag}, ...), and the
 * executor's own snapshot (the exact record, the distribution config and its ETag) that it changes
 * from and restores on rollback.
 */
public record Observation(Map<String, String> facts, Object snapshot) {

    public Observation {
        facts = new TreeMap<>(facts);
    }
}
