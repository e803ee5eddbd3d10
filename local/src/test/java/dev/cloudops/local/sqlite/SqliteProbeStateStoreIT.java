package dev.cloudops.local.sqlite;

import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.ProbeStateStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Probe state in a SQLite file, held to the same contract as the DynamoDB store. */
class SqliteProbeStateStoreIT extends ProbeStateStoreContract {

    @TempDir
    Path dataFolder;

    @Override
    protected ProbeStateStore newStore() {
        return new SqliteProbeStateStore(SqliteDatabase.open(dataFolder));
    }
}
