package dev.cloudops.execution.precheck;

import static dev.cloudops.testing.XRayDaemonStandIn.faultType;
import static dev.cloudops.testing.XRayDaemonStandIn.only;
import static dev.cloudops.testing.XRayDaemonStandIn.sdkCallsUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.execution.precheck.dynamodb.DynamoDbControlLocks;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.SampledInvocation;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Locks and limits in the Control table (dynalite), traced in a sampled invocation. */
@ExtendWith(Emulators.class)
class TracedControlLocksIT {

    private static final List<String> RECORD = List.of("route53:Z1D633PJN98FT9:shop.example.com.:A");
    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    @RegisterExtension
    final SampledInvocation invocation = new SampledInvocation();

    @Test
    void locksAndSlots_areStoreSubsegments_sayingWhetherTheyWereGranted(Dynalite dynalite) {
        TracedControlLocks control = traced(dynalite, dynalite.createControlTable());

        control.acquire("01JFIRST", NOW);
        control.lockAll(RECORD, "01JFIRST", NOW);
        control.lockAll(RECORD, "01JSECOND", NOW);
        control.releaseAll(RECORD, "01JFIRST");
        control.release("01JFIRST");

        List<Recorded> trace = invocation.received();
        assertThat(trace).filteredOn(r -> r.name().startsWith("store "))
                .extracting(r -> r.name() + " " + r.annotation("alert_id") + " " + r.annotation("granted"))
                .containsExactly("store limits.acquire 01JFIRST true", "store locks.lockAll 01JFIRST true",
                        "store locks.lockAll 01JSECOND false", "store locks.releaseAll 01JFIRST null",
                        "store limits.release 01JFIRST null");
        assertThat(trace).filteredOn(r -> r.name().startsWith("store ")).allSatisfy(step -> {
            assertThat(step.parentId()).isEqualTo(SampledInvocation.FUNCTION_SEGMENT);
            assertThat(faultType(trace, step)).isNull();
            assertThat(sdkCallsUnder(trace, step)).isNotEmpty().allMatch(call -> call.startsWith("DynamoDb "));
        });
        assertThat(only(trace, "store locks.releaseAll").annotation("resources")).isEqualTo("1");
    }

    @Test
    void aLockThatFailed_isAFault_andItsExceptionReachesTheExecutor(Dynalite dynalite) {
        TracedControlLocks control = traced(dynalite, "no-such-table");

        assertThatThrownBy(() -> control.lockAll(RECORD, "01JFIRST", NOW))
                .isInstanceOf(ResourceNotFoundException.class);

        List<Recorded> trace = invocation.received();
        assertThat(faultType(trace, only(trace, "store locks.lockAll")))
                .isEqualTo(ResourceNotFoundException.class.getName());
    }

    private TracedControlLocks traced(Dynalite dynalite, String table) {
        DynamoDbControlLocks locks = new DynamoDbControlLocks(invocation.clients(dynalite.endpoint()).dynamoDb(), table,
                Duration.ofMinutes(15), 2, 10);
        return new TracedControlLocks(locks, locks, invocation.tracing());
    }
}
