package dev.cloudops.local.sqlite;

import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runbooks in a SQLite file, held to the same contract as the DynamoDB store. */
class SqliteRunbookStoreIT extends RunbookStoreContract {

    @TempDir
    Path dataFolder;

    @Override
    protected RunbookStore newStore() {
        return new SqliteRunbookStore(SqliteDatabase.open(dataFolder));
    }
}
