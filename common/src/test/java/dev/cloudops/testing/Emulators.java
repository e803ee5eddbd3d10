package dev.cloudops.testing;

import dev.cloudops.testing.edge.EdgeStandIn;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that hands tests a running {@link Dynalite}, {@link S3Emulator}, {@link MotoServer} or
 * {@link EdgeStandIn}:
 * each is started once per test run, on first use, and stopped when the run ends.
 */
public final class Emulators implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Dynalite.class || type == S3Emulator.class || type == MotoServer.class
                || type == EdgeStandIn.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        if (type == Dynalite.class) {
            return store.getOrComputeIfAbsent(Dynalite.class, k -> Dynalite.start(), Dynalite.class);
        }
        if (type == MotoServer.class) {
            return store.getOrComputeIfAbsent(MotoServer.class, k -> MotoServer.start(), MotoServer.class);
        }
        if (type == EdgeStandIn.class) {
            return store.getOrComputeIfAbsent(EdgeStandIn.class, k -> EdgeStandIn.start(), EdgeStandIn.class);
        }
        return store.getOrComputeIfAbsent(S3Emulator.class, k -> S3Emulator.start(), S3Emulator.class);
    }
}
