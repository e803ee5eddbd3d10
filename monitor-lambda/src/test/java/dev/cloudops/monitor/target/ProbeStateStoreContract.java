package dev.cloudops.monitor.target;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.probe.Classification;
import dev.cloudops.testing.Race;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of probe state must do (DynamoDB, SQLite): every field kept, writes conditional on the
 * version read, one winner among concurrent runs, and the stored states of many targets found in one look.
 * Subclasses give a fresh, empty store.
 */
public abstract class ProbeStateStoreContract {

    private static final URI URL = URI.create("https://www.example.com/health");
    private static final Instant T = Instant.parse("2026-11-27T02:24:37.120Z");

    private ProbeStateStore store;

    /** A new, empty store; called once before each test. */
    protected abstract ProbeStateStore newStore();

    @BeforeEach
    public void open() {
        store = newStore();
    }

    @Test
    public void find_returnsEmpty_beforeTheFirstSave() {
        assertThat(store.find(URL)).isEmpty();
    }

    @Test
    public void save_keepsEveryField_ofTheState() {
        ProbeState state = new ProbeState(URL, 3, 0, Classification.HTTP_ERROR, "HTTP 503", T, T.plusSeconds(60),
                true, 1);

        boolean saved = store.save(state);

        assertThat(saved).isTrue();
        assertThat(store.find(URL)).contains(state);
    }

    @Test
    public void save_keepsAbsentFields_absent() {
        ProbeState state = new ProbeState(URL, 0, 0, null, null, null, null, false, 1);

        store.save(state);

        assertThat(store.find(URL)).contains(state);
    }

    @Test
    public void save_refusesAFirstWrite_whenAStateIsAlreadyStored() {
        ProbeState first = new ProbeState(URL, 1, 0, Classification.TIMEOUT, "slow", T, T, false, 1);
        ProbeState rival = new ProbeState(URL, 0, 1, Classification.HEALTHY, "ok", T, T, false, 1);
        store.save(first);

        boolean saved = store.save(rival);

        assertThat(saved).isFalse();
        assertThat(store.find(URL)).contains(first);
    }

    @Test
    public void save_storesTheNextVersion_onlyOverThePreviousOne() {
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
    public void save_ofALaterVersion_failsForATargetNeverStored() {
        ProbeState v2 = new ProbeState(URL, 2, 0, Classification.TIMEOUT, "slow", T, T, false, 2);

        assertThat(store.save(v2)).isFalse();
        assertThat(store.find(URL)).isEmpty();
    }

    @Test
    public void twentyConcurrentRuns_storeExactlyOneNextVersion() throws Exception {
        store.save(new ProbeState(URL, 1, 0, Classification.TIMEOUT, "slow", T, T, false, 1));

        var results = Race.run(20, i -> store.save(
                new ProbeState(URL, 2, 0, Classification.TIMEOUT, "run " + i, T, T, false, 2)));

        assertThat(results).filteredOn(saved -> saved).hasSize(1);
        assertThat(store.find(URL).orElseThrow().version()).isEqualTo(2);
    }

    /** One look before a run: targets never stored are left out, a target named twice is read once. */
    @Test
    public void findAll_returnsEveryStoredState_andLeavesOutTargetsNeverStored() {
        List<URI> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            URI url = URI.create("https://site" + i + ".example.com/");
            stored.add(url);
            store.save(new ProbeState(url, i, 0, Classification.HTTP_ERROR, "HTTP 503", T, T, false, 1));
        }
        URI never = URI.create("https://new.example.com/");

        Map<URI, ProbeState> found = store.findAll(List.of(stored.get(0), never, stored.get(1), stored.get(2),
                stored.get(0)));

        assertThat(found).containsOnlyKeys(stored);
        assertThat(found.get(stored.get(2))).isEqualTo(store.find(stored.get(2)).orElseThrow());
        assertThat(found.get(stored.get(2)).consecutiveFailures()).isEqualTo(2);
    }
}
