package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.ProbeStateStoreContract;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probe state in a SQLite file, held to the same contract as the DynamoDB store. */
class SqliteProbeStateStoreIT extends ProbeStateStoreContract {

    @TempDir
    Path dataFolder;

    @Override
    protected ProbeStateStore newStore() {
        return new SqliteProbeStateStore(SqliteDatabase.open(dataFolder));
    }

    @Test
    void eachProbeSite_keepsItsOwnStreak_besideTheSingleSiteRow() {
        SqliteDatabase database = SqliteDatabase.open(dataFolder);
        URI shop = URI.create("https://shop.example.com/");
        ProbeStateStore single = new SqliteProbeStateStore(database);
        ProbeStateStore a = new SqliteProbeStateStore(database, "site-a");
        ProbeStateStore b = new SqliteProbeStateStore(database, "site-b");
        Instant t = Instant.parse("2026-12-07T20:00:00Z");

        assertThat(a.save(new ProbeState(shop, 2, 0, null, "down", t, t, false, 1))).isTrue();
        assertThat(b.save(new ProbeState(shop, 0, 5, null, "up", t, t, false, 1))).isTrue();

        assertThat(a.find(shop).orElseThrow().consecutiveFailures()).isEqualTo(2);
        assertThat(b.find(shop).orElseThrow().consecutiveSuccesses()).isEqualTo(5);
        assertThat(a.find(shop).orElseThrow().url()).isEqualTo(shop);
        assertThat(single.find(shop)).as("the single-site row is keyed by the URL alone, as before").isEmpty();
    }
}
