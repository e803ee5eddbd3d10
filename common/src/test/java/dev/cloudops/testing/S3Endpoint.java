package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import java.util.List;

/**
 * One S3 implementation that an adapter's suite runs against: s3proxy (Java, in this JVM) and moto's server
 * (Python), written independently of each other and of this project. A suite parameterised over {@link #both}
 * ({@code @ParameterizedClass} with {@code @MethodSource("dev.cloudops.testing.S3Endpoint#both")} and
 * {@code @ExtendWith(Emulators.class)}) runs each test once on each. Tests keep apart by bucket names of their
 * own. What only one of them enforces (moto checks neither presigned URLs' signatures nor their expiry) is
 * tested on that one alone; docs/testing.md lists it.
 *
 * @param name how the run is named in reports: {@code s3proxy} or {@code moto}
 * @param clients clients for the server (S3 path-style, as for every endpoint override), closed with it
 */
public record S3Endpoint(String name, AwsClients clients) {

    /** The arguments of a suite parameterised by endpoint: s3proxy first, then moto. */
    public static List<S3Endpoint> both(S3Emulator s3proxy, MotoServer moto) {
        return List.of(new S3Endpoint("s3proxy", s3proxy.clients()), new S3Endpoint("moto", moto.clients()));
    }

    @Override
    public String toString() {
        return name;
    }
}
