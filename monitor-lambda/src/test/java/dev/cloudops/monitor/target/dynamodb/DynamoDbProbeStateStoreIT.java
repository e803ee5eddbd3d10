package dev.cloudops.monitor.target.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.ProbeStateStoreContract;
import dev.cloudops.probe.Classification;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probe state in the Control table, held to the same contract as the SQLite store, plus what only this store
 * keeps (the last probe's duration), once on each DynamoDB implementation (dynalite and moto): saves are
 * conditional PutItems on the version read, and findAll reads in BatchGetItem requests of at most 100 keys,
 * which both must answer alike.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbProbeStateStoreIT extends ProbeStateStoreContract {

    private static final Instant AT = Instant.parse("2026-11-27T08:00:00Z");

    @Parameter
    DynamoDbEndpoint endpoint;

    private DynamoDbProbeStateStore store;

    @Override
    protected ProbeStateStore newStore() {
        store = new DynamoDbProbeStateStore(endpoint.client(), endpoint.createControlTable());
        return store;
    }

    @Test
    void aStateKeepsHowLongItsLastProbeTook() {
        URI url = URI.create("https://shop.example.com/");
        ProbeState state = new ProbeState(url, 2, 0, Classification.TIMEOUT, "TLS: the handshake did not complete", AT,
                AT, true, Duration.ofMillis(3_012), 1);

        assertThat(store.save(state)).isTrue();

        assertThat(store.find(url)).contains(state);
    }

    @Test
    void findAll_readsMoreStatesThanOneBatchHolds_andLeavesOutTargetsNeverStored() {
        List<URI> stored = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            URI url = URI.create("https://site-" + i + ".example.com/");
            stored.add(url);
            store.save(new ProbeState(url, 0, 1, Classification.HEALTHY, "healthy", AT, AT, false,
                    Duration.ofMillis(100 + i), 1));
        }
        List<URI> asked = new ArrayList<>(stored);
        asked.add(URI.create("https://new.example.com/"));
        asked.add(stored.getFirst()); // asked twice, read once

        Map<URI, ProbeState> found = store.findAll(asked);

        assertThat(found).hasSize(230).containsOnlyKeys(stored);
        assertThat(found.get(stored.get(229)).lastDuration()).isEqualTo(Duration.ofMillis(329));
        assertThat(found.get(stored.get(7))).isEqualTo(store.find(stored.get(7)).orElseThrow());
    }
}
