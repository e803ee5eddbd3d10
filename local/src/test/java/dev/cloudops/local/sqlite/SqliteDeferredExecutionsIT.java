package dev.cloudops.local.sqlite;

import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.execution.schedule.DeferredExecutionsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Deferred executions in a SQLite file, held to the same contract as the DynamoDB store. */
class SqliteDeferredExecutionsIT extends DeferredExecutionsContract {

    @TempDir
    Path dataFolder;

    @Override
    protected DeferredExecutions newStore() {
        return new SqliteDeferredExecutions(SqliteDatabase.open(dataFolder));
    }
}
