package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the local database: folder, file, WAL mode and every table, idempotently. */
class SqliteDatabaseIT {

    @TempDir
    Path temp;

    @Test
    void open_createsTheFolderAndFile_inWalMode_withEveryTable() throws Exception {
        Path folder = temp.resolve("data/nested");

        SqliteDatabase database = SqliteDatabase.open(folder);

        assertThat(database.file()).isEqualTo(folder.resolve(SqliteDatabase.FILE_NAME).toAbsolutePath());
        assertThat(database.file()).isRegularFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(s, "PRAGMA user_version")).isEqualTo("1");
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertThat(tables).contains("alerts", "probe_states", "open_alert_claims", "locks",
                    "executions_per_hour", "deferred_executions", "regional_observations", "runbooks");
        }
    }

    @Test
    void open_keepsTheRows_ofAnExistingDatabase() {
        SqliteOpenAlertClaims first = new SqliteOpenAlertClaims(SqliteDatabase.open(temp));
        first.claim("a.example#DNS_FAILURE", "01JKEPT", null, Instant.EPOCH);

        SqliteOpenAlertClaims reopened = new SqliteOpenAlertClaims(SqliteDatabase.open(temp));

        assertThat(reopened.holder("a.example#DNS_FAILURE").orElseThrow().alertId()).isEqualTo("01JKEPT");
    }

    private static String single(Statement s, String sql) throws Exception {
        try (ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
