package dev.cloudops.local.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The local runner's one SQLite file: creates it and its schema, and runs each store operation on a
 * connection of its own. WAL mode lets readers run beside the single writer; writers from any thread or
 * process queue for up to the busy timeout instead of failing.
 */
public final class SqliteDatabase {

    /** The database file's name inside the data folder. */
    public static final String FILE_NAME = "cloudops.db";

    private static final int BUSY_TIMEOUT_MILLIS = 15_000;
    private static final int SCHEMA_VERSION = 1;
    private static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS alerts (
                alert_id TEXT PRIMARY KEY,
                approval_status TEXT NOT NULL,
                execution_status TEXT NOT NULL,
                timestamp TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                open INTEGER NOT NULL,
                version INTEGER NOT NULL,
                document TEXT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS alerts_by_status ON alerts (approval_status, timestamp, alert_id)",
            "CREATE INDEX IF NOT EXISTS alerts_by_fingerprint ON alerts (fingerprint, timestamp, alert_id)",
            """
            CREATE TABLE IF NOT EXISTS probe_states (
                url TEXT PRIMARY KEY,
                consecutive_failures INTEGER NOT NULL,
                consecutive_successes INTEGER NOT NULL,
                last_result TEXT,
                last_details TEXT,
                last_change TEXT,
                last_probed TEXT,
                alerting INTEGER NOT NULL,
                version INTEGER NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS open_alert_claims (
                fingerprint TEXT PRIMARY KEY,
                alert_id TEXT NOT NULL,
                claimed_at TEXT NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS locks (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS executions_per_hour (
                hour TEXT PRIMARY KEY,
                executions INTEGER NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS deferred_executions (
                alert_id TEXT PRIMARY KEY,
                plan_hash TEXT NOT NULL,
                due_at INTEGER NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS deferred_by_due ON deferred_executions (due_at, alert_id)",
            """
            CREATE TABLE IF NOT EXISTS regional_observations (
                region TEXT NOT NULL,
                url TEXT NOT NULL,
                layer TEXT,
                classification TEXT NOT NULL,
                latency_ms INTEGER,
                observed_at INTEGER NOT NULL,
                PRIMARY KEY (region, url)
            )""",
            """
            CREATE TABLE IF NOT EXISTS runbooks (
                id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                learned_at TEXT NOT NULL,
                version INTEGER NOT NULL,
                document TEXT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS runbooks_by_status ON runbooks (status, learned_at, id)");

    private final Path file;
    private final SQLiteDataSource dataSource;

    private SqliteDatabase(Path file, SQLiteDataSource dataSource) {
        this.file = file;
        this.dataSource = dataSource;
    }

    /**
     * Opens the database in {@code dataFolder}, creating the folder, the file and any missing table.
     *
     * @throws SqliteStoreException when the folder or the file cannot be created or opened
     */
    public static SqliteDatabase open(Path dataFolder) {
        Objects.requireNonNull(dataFolder, "dataFolder");
        try {
            Files.createDirectories(dataFolder);
        } catch (IOException e) {
            throw new SqliteStoreException("cannot create the data folder " + dataFolder, e);
        }
        Path file = dataFolder.resolve(FILE_NAME).toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        SqliteDatabase database = new SqliteDatabase(file, dataSource);
        database.applySchema();
        return database;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Runs {@code work} on a fresh connection in autocommit mode: each statement is its own transaction. */
    <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new SqliteStoreException("local database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one write transaction, begun IMMEDIATE so the write lock is taken (or waited
     * for) up front: a transaction that read first and upgraded later could fail with SQLITE_BUSY in WAL
     * mode without waiting. Commits when {@code work} returns, rolls back when it throws.
     */
    <T> T write(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement begin = connection.createStatement()) {
                begin.execute("BEGIN IMMEDIATE");
            }
            try {
                T result = work.run(connection);
                try (Statement commit = connection.createStatement()) {
                    commit.execute("COMMIT");
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try (Statement rollback = connection.createStatement()) {
                    rollback.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new SqliteStoreException("local database " + file + ": " + e.getMessage(), e);
        }
    }

    private void applySchema() {
        read(connection -> {
            try (Statement statement = connection.createStatement()) {
                // WAL is a property of the file; set once here, every later connection uses it.
                statement.execute("PRAGMA journal_mode=WAL");
            }
            return null;
        });
        write(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
                statement.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            }
            return null;
        });
    }

    /** Work against one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
