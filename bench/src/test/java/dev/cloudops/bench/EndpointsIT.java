package dev.cloudops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The probe benchmark's endpoint servers answer as the benchmark expects: each answering endpoint
 * completes a handshake with the CA it names and says {@code 200 Welcome}, each silent one accepts
 * and never answers. Probed with the real prober, as the benchmark does.
 */
class EndpointsIT {

    @Test
    void nodeEndpoints_splitAcrossProcesses_answerOrStaySilent() throws Exception {
        try (Endpoints endpoints = Endpoints.node(5, 3, false, 2)) {
            assertThat(endpoints.server()).contains("Node.js", "2 processes");
            assertServed(endpoints, 5, 3);
        }
    }

    @Test
    void nodeEndpoints_withEcdsaCertificates_answer() throws Exception {
        try (Endpoints endpoints = Endpoints.node(2, 0, true, 1)) {
            assertServed(endpoints, 2, 0);
        }
    }

    @Test
    void jdkEndpoints_answerOrStaySilent() throws Exception {
        try (Endpoints endpoints = Endpoints.jdk(3, 2, false)) {
            assertThat(endpoints.server()).contains("JDK");
            assertServed(endpoints, 3, 2);
        }
    }

    private static void assertServed(Endpoints endpoints, int answering, int silent) throws Exception {
        assertThat(endpoints.answering()).hasSize(answering);
        assertThat(endpoints.silent()).hasSize(silent);
        Set<Integer> ports = new HashSet<>();
        endpoints.answering().forEach(url -> ports.add(url.getPort()));
        endpoints.silent().forEach(url -> ports.add(url.getPort()));
        assertThat(ports).as("every endpoint has a port of its own").hasSize(answering + silent);

        Prober prober = Prober.create(new ProbeSettings(List.of(new InetSocketAddress("127.0.0.1", 53)),
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(5), 64 * 1024,
                Set.of(new TrustAnchor(endpoints.ca(), null))), Clock.systemUTC());
        for (URI url : endpoints.answering()) {
            ProbeResult result = prober.probe(ProbeSpec.of(url));
            assertThat(result.classification()).as(result.details()).isEqualTo(Classification.HEALTHY);
            assertThat(result.http().status()).isEqualTo(200);
        }
        for (URI url : endpoints.silent()) {
            ProbeResult result = prober.probe(ProbeSpec.of(url));
            assertThat(result.classification()).as(result.details()).isEqualTo(Classification.TIMEOUT);
        }
        assertThat(endpoints.cpuNanos()).as("the endpoint processes' CPU time is read").isPositive();
    }
}
