package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;

/**
 * One S3 implementation that an adapter's suite runs against: s3proxy (Java, in this JVM) and moto's server
 * (Python), written independently of each other and of this project. A suite parameterised over {@link #all}
 * ({@code @ParameterizedClass} with {@code @MethodSource("dev.cloudops.testing.S3Endpoint#all")} and
 * {@code @ExtendWith(Emulators.class)}) runs each test once on each. Tests keep apart by bucket names of their
 * own. What only one of them enforces (moto checks neither presigned URLs' signatures nor their expiry) is
 * tested on that one alone; docs/testing.md lists it.
 *
 * @param name how the run is named in reports: {@code s3proxy}, {@code moto} or {@code localstack}
 * @param clients clients for the server (S3 path-style, as for every endpoint override), closed with it
 */
public record S3Endpoint(String name, AwsClients clients) {

    /**
     * The arguments of a suite parameterised by endpoint: s3proxy first, then moto, then LocalStack in
     * Docker when the build runs with {@code -Plocalstack} ({@link LocalStack}).
     */
    public static List<S3Endpoint> all(S3Emulator s3proxy, MotoServer moto) {
        List<S3Endpoint> endpoints = new ArrayList<>(List.of(new S3Endpoint("s3proxy", s3proxy.clients()),
                new S3Endpoint("moto", moto.clients())));
        if (LocalStack.wanted()) {
            endpoints.add(new S3Endpoint("localstack", LocalStack.shared().clients()));
        }
        return endpoints;
    }

    @Override
    public String toString() {
        return name;
    }
}
