package dev.cloudops.execution.precheck;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Per-resource locks with expiry, so two executions never change the same resource at once. */
public interface ResourceLocks {

    /**
     * Locks every resource for {@code owner}, or none: when one is held by another execution, the ones taken
     * are released again.
     *
     * @return empty when all are locked, else which resource is held by whom
     */
    Optional<String> lockAll(List<String> resources, String owner, Instant now);

    /** Releases the resources this owner holds; ones it does not hold are left alone. */
    void releaseAll(List<String> resources, String owner);
}
