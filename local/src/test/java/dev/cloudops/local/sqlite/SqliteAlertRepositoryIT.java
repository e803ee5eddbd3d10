package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertRepositoryContract;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.testing.AlertFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert repository contract against a SQLite file, plus what only the local store does. */
class SqliteAlertRepositoryIT extends AlertRepositoryContract {

    @TempDir
    Path dataFolder;

    private SqliteDatabase database;
    private SqliteAlertRepository repository;

    @BeforeEach
    void openDatabase() {
        database = SqliteDatabase.open(dataFolder);
        repository = new SqliteAlertRepository(database, RETENTION);
    }

    @Override
    protected AlertRepository repository() {
        return repository;
    }

    @Test
    void alerts_surviveReopeningTheDatabase_andAreSharedWithASecondOpening() {
        Alert pending = repository.create(AlertFixtures.pending("01JREOPEN00000000000000001"));
        SqliteAlertRepository second = new SqliteAlertRepository(SqliteDatabase.open(dataFolder), RETENTION);

        TransitionResult result = second.apply(pending.reject(AlertFixtures.person("bob"), "noise",
                pending.timestamp().plusSeconds(5)));

        assertThat(result).isInstanceOf(TransitionResult.Applied.class);
        assertThat(repository.find(pending.alertId()).orElseThrow().state()).isEqualTo(AlertState.REJECTED);
    }

    @Test
    void apply_keepsTheIndexedColumns_inStepWithTheDocument() throws Exception {
        Alert pending = repository.create(AlertFixtures.pending("01JCOLUMNS0000000000000001"));

        applied(pending.reject(AlertFixtures.person("bob"), "noise", pending.timestamp().plusSeconds(5)));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT approval_status, execution_status, open, version,"
                        + " json_extract(document, '$.state') FROM alerts")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("REJECTED");
            assertThat(row.getString(2)).isEqualTo("NOT_STARTED");
            assertThat(row.getInt(3)).isZero();
            assertThat(row.getLong(4)).isEqualTo(pending.version() + 1);
            assertThat(row.getString(5)).isEqualTo("REJECTED");
        }
    }

    @Test
    void find_namesTheAlert_whenItsStoredDocumentIsCorrupt() throws Exception {
        Alert detected = repository.create(AlertFixtures.detected("01JCORRUPT0000000000000001"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE alerts SET document = json_set(document, '$.occurrences', 'three')");
        }

        assertThatThrownBy(() -> repository.find(detected.alertId()))
                .isInstanceOf(SqliteStoreException.class)
                .hasMessageContaining(detected.alertId())
                .hasMessageContaining("occurrences");
    }
}
