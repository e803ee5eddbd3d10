package dev.cloudops.plan;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state a step expects to find, as observed in the evidence pack: facts by name (e.g.
 * {@code enabled=false}, {@code etag=E2QWRUHAPOMQZL}) and the evidence item they came from. Execution
 * refuses a step whose current state differs.
 */
public record Precondition(String evidenceId, SortedMap<String, String> expected) {

    public Precondition {
        Objects.requireNonNull(evidenceId, "evidenceId");
        expected = Collections.unmodifiableSortedMap(new TreeMap<>(expected));
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("a precondition expects at least one fact");
        }
    }

    public static Precondition of(String evidenceId, Map<String, String> expected) {
        return new Precondition(evidenceId, new TreeMap<>(expected));
    }
}
