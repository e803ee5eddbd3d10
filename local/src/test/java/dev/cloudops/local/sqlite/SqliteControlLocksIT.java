package dev.cloudops.local.sqlite;

import dev.cloudops.execution.precheck.ControlLocksContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Locks and limits in a SQLite file, held to the same contract as the DynamoDB store. */
class SqliteControlLocksIT extends ControlLocksContract {

    @TempDir
    Path dataFolder;

    @Override
    protected Subject subject() {
        SqliteControlLocks locks = new SqliteControlLocks(SqliteDatabase.open(dataFolder), LOCK_FOR, MAX_CONCURRENT,
                MAX_PER_HOUR);
        return new Subject(locks, locks);
    }
}
