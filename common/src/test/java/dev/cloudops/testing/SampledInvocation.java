package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import dev.cloudops.trace.Tracing;
import dev.cloudops.trace.xray.XRayTracing;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * JUnit extension (register it on an instance field): each test runs inside a sampled Lambda invocation, with
 * the trace header the Java runtime sets as a system property and {@link #tracing()} sending to a stand-in
 * X-Ray daemon; the header is cleared and the daemon and clients closed after the test.
 */
public final class SampledInvocation implements BeforeEachCallback, AfterEachCallback {

    public static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
    public static final String FUNCTION_SEGMENT = "53995c3f42cd8ad8";
    private static final String PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final Duration QUIET = Duration.ofMillis(500);

    private final List<AwsClients> clients = new ArrayList<>();
    private XRayDaemonStandIn daemon;
    private Tracing tracing;

    @Override
    public void beforeEach(ExtensionContext context) {
        daemon = new XRayDaemonStandIn();
        tracing = XRayTracing.toDaemon(Optional.of(daemon.address()));
        System.setProperty(PROPERTY, "Root=" + ROOT + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.clearProperty(PROPERTY);
        clients.forEach(AwsClients::close);
        daemon.close();
    }

    /** Tracing into this invocation's trace. */
    public Tracing tracing() {
        return tracing;
    }

    /** Clients of an emulator at {@code endpoint} whose calls are recorded in this invocation's trace. */
    public AwsClients clients(URI endpoint) {
        AwsClients traced = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(endpoint)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), tracing);
        clients.add(traced);
        return traced;
    }

    /** Every subsegment the daemon received, until it heard nothing for half a second. */
    public List<Recorded> received() {
        return daemon.received(QUIET);
    }
}
