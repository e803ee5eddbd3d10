package dev.cloudops.monitor;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cloudops.testing.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Lambda Java runtime does with a function's jar, in a process of its own: constructs the handler
 * with its no-argument constructor (INIT, configured from the environment, no trace header yet), sets the
 * invocation's trace header as the system property the runtime sets, and invokes it with one event.
 *
 * <p>Arguments: handler class, event file, trace header, file to write the response to.
 */
final class LambdaRuntimeStandIn {

    private LambdaRuntimeStandIn() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor()
                .newInstance();
        System.setProperty("com.amazonaws.xray.traceHeader", args[2]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            handler.handleRequest(in, out, LambdaContext.fixed("cloudops-monitor", 60_000));
        }
        Files.write(Path.of(args[3]), out.toByteArray());
        // Lambda freezes the process after the response; here the SDK's and probes' threads must not keep it alive.
        System.exit(0);
    }
}
