package dev.cloudops.monitor.dedupe;

import static dev.cloudops.testing.XRayDaemonStandIn.faultType;
import static dev.cloudops.testing.XRayDaemonStandIn.only;
import static dev.cloudops.testing.XRayDaemonStandIn.sdkCallsUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.SampledInvocation;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Open-alert claims in the Control table (dynalite), traced in a sampled invocation. */
@ExtendWith(Emulators.class)
class TracedOpenAlertClaimsIT {

    private static final String FINGERPRINT = "shop.example.com#HTTP_ERROR";
    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    @RegisterExtension
    final SampledInvocation invocation = new SampledInvocation();

    @Test
    void aClaimAndTheRunThatLostIt_areStoreSubsegments_withTheirDynamoDbCalls(Dynalite dynalite) {
        OpenAlertClaims claims = traced(dynalite, dynalite.createControlTable());

        boolean won = claims.claim(FINGERPRINT, "01JFIRST", null, NOW);
        boolean lost = claims.claim(FINGERPRINT, "01JSECOND", null, NOW);
        String holder = claims.holder(FINGERPRINT).orElseThrow().alertId();

        assertThat(won).isTrue();
        assertThat(lost).isFalse();
        assertThat(holder).isEqualTo("01JFIRST");
        List<Recorded> trace = invocation.received();
        assertThat(trace).filteredOn(r -> r.name().equals("store claims.claim"))
                .extracting(r -> r.annotation("alert_id") + " " + r.annotation("applied"))
                .containsExactly("01JFIRST true", "01JSECOND false");
        assertThat(trace).filteredOn(r -> r.name().equals("store claims.claim")).allSatisfy(claim -> {
            assertThat(claim.annotation("fingerprint")).isEqualTo(FINGERPRINT);
            assertThat(faultType(trace, claim)).isNull();
            assertThat(sdkCallsUnder(trace, claim)).containsExactly("DynamoDb PutItem");
        });
        Recorded read = only(trace, "store claims.holder");
        assertThat(read.parentId()).isEqualTo(SampledInvocation.FUNCTION_SEGMENT);
        assertThat(read.annotation("held")).isEqualTo("true");
        assertThat(sdkCallsUnder(trace, read)).containsExactly("DynamoDb GetItem");
    }

    @Test
    void aClaimThatFailed_isAFault_andItsExceptionReachesTheMonitor(Dynalite dynalite) {
        OpenAlertClaims claims = traced(dynalite, "no-such-table");

        Throwable thrown = catchThrowable(() -> claims.claim(FINGERPRINT, "01JFIRST", null, NOW));

        assertThat(thrown).isInstanceOf(ResourceNotFoundException.class);
        List<Recorded> trace = invocation.received();
        assertThat(faultType(trace, only(trace, "store claims.claim"))).isEqualTo(thrown.getClass().getName());
    }

    private OpenAlertClaims traced(Dynalite dynalite, String table) {
        DynamoDbOpenAlertClaims claims = new DynamoDbOpenAlertClaims(invocation.clients(dynalite.endpoint()).dynamoDb(),
                table);
        return new TracedOpenAlertClaims(claims, invocation.tracing());
    }
}
