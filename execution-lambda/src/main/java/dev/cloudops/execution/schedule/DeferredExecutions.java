package dev.cloudops.execution.schedule;

import dev.cloudops.execution.ExecutionRequest;
import java.time.Instant;
import java.util.List;

/** Executions waiting for their window (or for a limit or lock), to be started when they are due. */
public interface DeferredExecutions {

    void schedule(ExecutionRequest request, Instant at);

    /** The requests due at {@code now}, oldest first. */
    List<ExecutionRequest> due(Instant now);

    /** Forgets the alert's deferred execution (it is being run or is over). */
    void remove(String alertId);
}
