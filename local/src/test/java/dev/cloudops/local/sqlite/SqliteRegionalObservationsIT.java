package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.quorum.RegionalObservation;
import dev.cloudops.monitor.quorum.RegionalObservations;
import dev.cloudops.monitor.quorum.RegionalObservationsContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regional observations in the local SQLite file, held to the same contract as the DynamoDB store (the latest
 * observation per target and site, an upsert conditional on the stored one being older, exactly one claim however
 * the sites race), and kept in the file.
 */
class SqliteRegionalObservationsIT extends RegionalObservationsContract {

    @TempDir
    Path dataFolder;

    private SqliteRegionalObservations observations;
    private SqliteOpenAlertClaims claims;

    @BeforeEach
    void open() {
        SqliteDatabase database = SqliteDatabase.open(dataFolder);
        observations = new SqliteRegionalObservations(database);
        claims = new SqliteOpenAlertClaims(database);
    }

    @Override
    protected RegionalObservations observations() {
        return observations;
    }

    @Override
    protected OpenAlertClaims claims() {
        return claims;
    }

    @Test
    void observations_outliveTheStoreObject_inTheDatabaseFile() {
        RegionalObservation eu = failing("eu-west-1", T);
        observations.record(eu);

        assertThat(new SqliteRegionalObservations(SqliteDatabase.open(dataFolder)).latest(SHOP, List.of("eu-west-1")))
                .containsExactly(eu);
    }
}
