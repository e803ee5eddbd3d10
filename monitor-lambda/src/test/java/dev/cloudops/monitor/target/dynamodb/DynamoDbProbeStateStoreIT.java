package dev.cloudops.monitor.target.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.probe.Classification;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(Emulators.class)
class DynamoDbProbeStateStoreIT {

    private static final Instant T = Instant.parse("2026-11-27T08:00:00Z");

    private DynamoDbProbeStateStore store;

    @BeforeEach
    void table(Dynalite dynalite) {
        DynamoDbClient dynamoDb = dynalite.client();
        String table = "control-" + UUID.randomUUID();
        Dynalite.createTable(dynamoDb, ControlTable.createRequest(table));
        store = new DynamoDbProbeStateStore(dynamoDb, table);
    }

    @Test
    void aStateKeepsHowLongItsLastProbeTook() {
        URI url = URI.create("https://shop.example.com/");
        ProbeState state = new ProbeState(url, 2, 0, Classification.TIMEOUT, "TLS: the handshake did not complete", T,
                T, true, Duration.ofMillis(3_012), 1);

        assertThat(store.save(state)).isTrue();

        assertThat(store.find(url)).contains(state);
    }

    @Test
    void findAll_readsMoreStatesThanOneBatchHolds_andLeavesOutTargetsNeverStored() {
        List<URI> stored = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            URI url = URI.create("https://site-" + i + ".example.com/");
            stored.add(url);
            store.save(new ProbeState(url, 0, 1, Classification.HEALTHY, "healthy", T, T, false,
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
