package dev.cloudops.monitor.target;

import static dev.cloudops.testing.XRayDaemonStandIn.faultType;
import static dev.cloudops.testing.XRayDaemonStandIn.only;
import static dev.cloudops.testing.XRayDaemonStandIn.sdkCallsUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.probe.Classification;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.SampledInvocation;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** The probe-state store in the Control table (dynalite), traced in a sampled invocation. */
@ExtendWith(Emulators.class)
class TracedProbeStateStoreIT {

    private static final URI SHOP = URI.create("https://shop.example.com/");
    private static final ProbeState FIRST = new ProbeState(SHOP, 1, 0, Classification.TIMEOUT,
            "TLS: the handshake did not complete", Instant.parse("2026-11-27T08:00:00Z"),
            Instant.parse("2026-11-27T08:00:00Z"), false, Duration.ofMillis(3_012), 1);

    @RegisterExtension
    final SampledInvocation invocation = new SampledInvocation();

    @Test
    void eachOperation_isAStoreSubsegment_withItsDynamoDbCall(Dynalite dynalite) {
        ProbeStateStore states = traced(dynalite, dynalite.createControlTable());

        boolean saved = states.save(FIRST);
        boolean savedAgain = states.save(FIRST);
        states.find(SHOP);
        states.findAll(List.of(SHOP, URI.create("https://new.example.com/")));

        assertThat(saved).isTrue();
        assertThat(savedAgain).as("the version stored first").isFalse();
        List<Recorded> trace = invocation.received();
        List<Recorded> saves = trace.stream().filter(r -> r.name().equals("store probe-states.save")).toList();
        assertThat(saves).extracting(r -> r.annotation("applied")).containsExactly("true", "false");
        assertThat(faultType(trace, saves.get(1))).as("a refused write is an outcome, not a fault").isNull();
        assertThat(saves).allSatisfy(save -> {
            assertThat(save.parentId()).isEqualTo(SampledInvocation.FUNCTION_SEGMENT);
            assertThat(save.annotation("domain")).isEqualTo("shop.example.com");
            assertThat(sdkCallsUnder(trace, save)).containsExactly("DynamoDb PutItem");
        });
        Recorded find = only(trace, "store probe-states.find");
        assertThat(find.annotation("domain")).isEqualTo("shop.example.com");
        assertThat(sdkCallsUnder(trace, find)).containsExactly("DynamoDb GetItem");
        Recorded findAll = only(trace, "store probe-states.findAll");
        assertThat(findAll.annotation("targets")).isEqualTo("2");
        assertThat(findAll.annotation("found")).isEqualTo("1");
        assertThat(sdkCallsUnder(trace, findAll)).containsExactly("DynamoDb BatchGetItem");
    }

    @Test
    void aFailedOperation_isAFault_andItsExceptionReachesTheCaller(Dynalite dynalite) {
        ProbeStateStore states = traced(dynalite, "no-such-table");

        assertThatThrownBy(() -> states.find(SHOP)).isInstanceOf(ResourceNotFoundException.class);

        List<Recorded> trace = invocation.received();
        assertThat(faultType(trace, only(trace, "store probe-states.find")))
                .isEqualTo(ResourceNotFoundException.class.getName());
    }

    private ProbeStateStore traced(Dynalite dynalite, String table) {
        DynamoDbClient dynamoDb = invocation.clients(dynalite.endpoint()).dynamoDb();
        return new TracedProbeStateStore(new DynamoDbProbeStateStore(dynamoDb, table), invocation.tracing());
    }
}
