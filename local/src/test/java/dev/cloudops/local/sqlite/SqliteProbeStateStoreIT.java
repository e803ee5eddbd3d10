package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.probe.Classification;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cloudops.testing.Race;

/** Probe state in a SQLite file: every field kept, writes conditional on the version read. */
class SqliteProbeStateStoreIT {

    private static final URI URL = URI.create("https://www.example.com/health");
    private static final Instant T = Instant.parse("2026-11-27T02:24:37.120Z");

    @TempDir
    Path dataFolder;

    private SqliteProbeStateStore store;

    @BeforeEach
    void open() {
        store = new SqliteProbeStateStore(SqliteDatabase.open(dataFolder));
    }

    @Test
    void find_returnsEmpty_beforeTheFirstSave() {
        assertThat(store.find(URL)).isEmpty();
    }

    @Test
    void save_keepsEveryField_ofTheState() {
        ProbeState state = new ProbeState(URL, 3, 0, Classification.HTTP_ERROR, "HTTP 503", T, T.plusSeconds(60),
                true, 1);

        boolean saved = store.save(state);

        assertThat(saved).isTrue();
        assertThat(store.find(URL)).contains(state);
    }

    @Test
    void save_keepsAbsentFields_absent() {
        ProbeState state = new ProbeState(URL, 0, 0, null, null, null, null, false, 1);

        store.save(state);

        assertThat(store.find(URL)).contains(state);
    }

    @Test
    void save_refusesAFirstWrite_whenAStateIsAlreadyStored() {
        ProbeState first = new ProbeState(URL, 1, 0, Classification.TIMEOUT, "slow", T, T, false, 1);
        ProbeState rival = new ProbeState(URL, 0, 1, Classification.HEALTHY, "ok", T, T, false, 1);
        store.save(first);

        boolean saved = store.save(rival);

        assertThat(saved).isFalse();
        assertThat(store.find(URL)).contains(first);
    }

    @Test
    void save_storesTheNextVersion_onlyOverThePreviousOne() {
        ProbeState v1 = new ProbeState(URL, 1, 0, Classification.TIMEOUT, "slow", T, T, false, 1);
        store.save(v1);
        ProbeState v2 = new ProbeState(URL, 2, 0, Classification.TIMEOUT, "slower", T, T.plusSeconds(60), true, 2);
        ProbeState staleV2 = new ProbeState(URL, 0, 1, Classification.HEALTHY, "ok", T, T.plusSeconds(61), false, 2);
        ProbeState v4 = new ProbeState(URL, 9, 0, Classification.TIMEOUT, "skipped", T, T, false, 4);

        assertThat(store.save(v2)).isTrue();
        assertThat(store.save(staleV2)).isFalse();
        assertThat(store.save(v4)).isFalse();
        assertThat(store.find(URL)).contains(v2);
    }

    @Test
    void save_ofALaterVersion_failsForATargetNeverStored() {
        ProbeState v2 = new ProbeState(URL, 2, 0, Classification.TIMEOUT, "slow", T, T, false, 2);

        assertThat(store.save(v2)).isFalse();
        assertThat(store.find(URL)).isEmpty();
    }

    @Test
    void twentyConcurrentRuns_storeExactlyOneNextVersion() throws Exception {
        store.save(new ProbeState(URL, 1, 0, Classification.TIMEOUT, "slow", T, T, false, 1));

        var results = Race.run(20, i -> store.save(
                new ProbeState(URL, 2, 0, Classification.TIMEOUT, "run " + i, T, T, false, 2)));

        assertThat(results).filteredOn(saved -> saved).hasSize(1);
        assertThat(store.find(URL).orElseThrow().version()).isEqualTo(2);
    }
}
