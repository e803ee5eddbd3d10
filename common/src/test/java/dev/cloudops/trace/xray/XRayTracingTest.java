package dev.cloudops.trace.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cloudops.testing.XRayDaemonStandIn;
import dev.cloudops.trace.Tracing;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Without a trace context (the local runner, tests, a function's INIT) tracing only runs the work. */
class XRayTracingTest {

    @Test
    void withoutADaemon_tracingIsOff() {
        assertThat(XRayTracing.toDaemon(Optional.empty())).isSameAs(Tracing.NONE);
    }

    @Test
    void none_runsTheWork_andRethrowsItsException() {
        IOException failure = new IOException("disk full");

        String result = Tracing.NONE.subsegment("store alerts.create", span -> {
            span.annotate("alert_id", "01J").annotate("targets", 3).annotate("applied", true).markError();
            return "stored";
        });

        assertThat(result).isEqualTo("stored");
        assertThatThrownBy(() -> Tracing.NONE.subsegment("store artifacts.put", span -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(Tracing.NONE.sdkInterceptors()).isEmpty();
    }

    @Test
    void withADaemonButNoTraceHeader_theWorkRunsAndNothingIsSent() throws Exception {
        assertThat(System.getenv("_X_AMZN_TRACE_ID")).as("no Lambda trace context in this JVM").isNull();
        assertThat(System.getProperty("com.amazonaws.xray.traceHeader")).isNull();
        try (XRayDaemonStandIn daemon = new XRayDaemonStandIn()) {
            Tracing tracing = XRayTracing.toDaemon(Optional.of(daemon.address()));
            IllegalStateException failure = new IllegalStateException("refused");
            Callable<String> task = () -> "carried";

            String result = tracing.subsegment("probe", span -> {
                span.annotate("targets", 1);
                return tracing.subsegment("probe example.com", inner -> "healthy");
            });
            Throwable thrown = catchThrowable(
                    () -> tracing.subsegment("notify teams", span -> {
                        throw failure;
                    }));

            assertThat(result).isEqualTo("healthy");
            assertThat(thrown).isSameAs(failure);
            assertThat(tracing.carry(task)).as("nothing to carry").isSameAs(task);
            assertThat(tracing.sdkInterceptors()).hasSize(1);
            assertThat(daemon.received(Duration.ofMillis(300))).isEmpty();
        }
    }
}
