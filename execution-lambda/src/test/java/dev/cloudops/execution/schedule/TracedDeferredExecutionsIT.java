package dev.cloudops.execution.schedule;

import static dev.cloudops.testing.XRayDaemonStandIn.faultType;
import static dev.cloudops.testing.XRayDaemonStandIn.only;
import static dev.cloudops.testing.XRayDaemonStandIn.sdkCallsUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.execution.schedule.dynamodb.DynamoDbDeferredExecutions;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.SampledInvocation;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Deferred executions in the Control table (dynalite), traced in a sampled invocation. */
@ExtendWith(Emulators.class)
class TracedDeferredExecutionsIT {

    private static final Instant AT = Instant.parse("2026-11-27T08:00:00Z");
    private static final ExecutionRequest REQUEST = new ExecutionRequest("01JDEFERRED", "sha256:" + "ab".repeat(32));

    @RegisterExtension
    final SampledInvocation invocation = new SampledInvocation();

    @Test
    void scheduleDueAndRemove_areStoreSubsegments_withTheirDynamoDbCalls(Dynalite dynalite) {
        DeferredExecutions deferred = traced(dynalite, dynalite.createControlTable());

        deferred.schedule(REQUEST, AT);
        List<ExecutionRequest> due = deferred.due(AT.plusSeconds(1));
        deferred.remove(REQUEST.alertId());

        assertThat(due).containsExactly(REQUEST);
        List<Recorded> trace = invocation.received();
        Map<String, Recorded> steps = trace.stream().filter(r -> r.name().startsWith("store deferred."))
                .collect(Collectors.toMap(Recorded::name, Function.identity()));
        assertThat(steps).containsOnlyKeys("store deferred.schedule", "store deferred.due", "store deferred.remove");
        assertThat(steps.get("store deferred.schedule").annotation("alert_id")).isEqualTo("01JDEFERRED");
        assertThat(steps.get("store deferred.due").annotation("due")).isEqualTo("1");
        assertThat(steps.get("store deferred.remove").annotation("alert_id")).isEqualTo("01JDEFERRED");
        assertThat(sdkCallsUnder(trace, steps.get("store deferred.schedule"))).containsExactly("DynamoDb PutItem");
        assertThat(sdkCallsUnder(trace, steps.get("store deferred.due"))).containsExactly("DynamoDb Scan");
        assertThat(sdkCallsUnder(trace, steps.get("store deferred.remove"))).containsExactly("DynamoDb DeleteItem");
    }

    @Test
    void aLookThatFailed_isAFault_andItsExceptionReachesTheHandler(Dynalite dynalite) {
        DeferredExecutions deferred = traced(dynalite, "no-such-table");

        Throwable thrown = catchThrowable(() -> deferred.due(AT));

        assertThat(thrown).isInstanceOf(ResourceNotFoundException.class);
        List<Recorded> trace = invocation.received();
        assertThat(faultType(trace, only(trace, "store deferred.due"))).isEqualTo(thrown.getClass().getName());
    }

    private DeferredExecutions traced(Dynalite dynalite, String table) {
        return new TracedDeferredExecutions(
                new DynamoDbDeferredExecutions(invocation.clients(dynalite.endpoint()).dynamoDb(), table),
                invocation.tracing());
    }
}
