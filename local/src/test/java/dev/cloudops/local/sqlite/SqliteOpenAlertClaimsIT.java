package dev.cloudops.local.sqlite;

import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.dedupe.OpenAlertClaimsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Open-alert claims in a SQLite file, held to the same contract as the DynamoDB store. */
class SqliteOpenAlertClaimsIT extends OpenAlertClaimsContract {

    @TempDir
    Path dataFolder;

    @Override
    protected OpenAlertClaims newStore() {
        return new SqliteOpenAlertClaims(SqliteDatabase.open(dataFolder));
    }
}
