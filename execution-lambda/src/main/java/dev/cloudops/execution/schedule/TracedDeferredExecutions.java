package dev.cloudops.execution.schedule;

import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.trace.Tracing;
import java.time.Instant;
import java.util.List;

/**
 * Deferred executions whose every operation is a {@code store deferred.<operation>} subsegment, annotated with the
 * alert id, or for a look for due ones with how many were due.
 */
public record TracedDeferredExecutions(DeferredExecutions deferred, Tracing tracing) implements DeferredExecutions {

    @Override
    public void schedule(ExecutionRequest request, Instant at) {
        tracing.subsegment("store deferred.schedule", span -> {
            span.annotate("alert_id", request.alertId());
            deferred.schedule(request, at);
            return null;
        });
    }

    @Override
    public List<ExecutionRequest> due(Instant now) {
        return tracing.subsegment("store deferred.due", span -> {
            List<ExecutionRequest> due = deferred.due(now);
            span.annotate("due", due.size());
            return due;
        });
    }

    @Override
    public void remove(String alertId) {
        tracing.subsegment("store deferred.remove", span -> {
            span.annotate("alert_id", alertId);
            deferred.remove(alertId);
            return null;
        });
    }
}
