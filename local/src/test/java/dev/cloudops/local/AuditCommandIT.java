package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.json.RecordJson;
import dev.cloudops.local.sqlite.SqliteAlertRepository;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.testing.AlertFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cloudops-local audit verify}: an intact trail passes; each way of editing the stored one is named. */
class AuditCommandIT {

    private static final String ID = "01JAUDITCLI000000000000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private SqliteDatabase database;
    private Alert stored;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void store() throws Exception {
        config = dir.resolve("cloudops.yaml");
        Files.writeString(config, """
                data_dir: data
                targets:
                  - url: https://www.example.com/
                """);
        database = SqliteDatabase.open(dir.resolve("data"));
        SqliteAlertRepository alerts = new SqliteAlertRepository(database, Duration.ofDays(7));
        alerts.create(AlertFixtures.detected(ID));
        Alert pending = ((TransitionResult.Applied) alerts.apply(alerts.find(ID).orElseThrow().analyze(
                AlertFixtures.analysis(1), AlertFixtures.MONITOR, AlertFixtures.DETECTED_AT.plusSeconds(30)))).alert();
        alerts.appendEvent(ID, AuditEvent.of(AlertFixtures.DETECTED_AT.plusSeconds(40), AuditAction.NOTIFIED,
                AlertFixtures.MONITOR, "sent", "teams"));
        alerts.apply(alerts.find(ID).orElseThrow().approve(AlertFixtures.person("alice"), "sub-alice", "admin", null,
                pending.planHash(), AlertFixtures.DETECTED_AT.plusSeconds(60)));
        stored = alerts.find(ID).orElseThrow();
        assertThat(stored.audit()).hasSize(4);
    }

    @Test
    void anIntactTrail_passes() {
        assertThat(verify("--config", config.toString(), ID)).isZero();
        assertThat(out.toString()).isEqualTo("audit trail of " + ID + ": intact (4 entries)\n");
    }

    @Test
    void anEditedEntry_isNamed() throws Exception {
        sql("UPDATE alerts SET document = json_set(document, '$.audit[2].actor', 'mallory')");

        assertThat(verify("--config", config.toString(), ID)).isEqualTo(1);
        assertThat(out.toString()).startsWith("audit trail of " + ID + ": EDITED at entry 3: entry 3 (NOTIFIED) "
                + "was edited");
    }

    @Test
    void aDeletedEntry_isNamed() throws Exception {
        sql("UPDATE alerts SET document = json_remove(document, '$.audit[1]')");

        assertThat(verify("--config", config.toString(), ID)).isEqualTo(1);
        assertThat(out.toString()).startsWith("audit trail of " + ID + ": MISSING at entry 2");
    }

    @Test
    void reorderedEntries_areNamed() throws Exception {
        sql("UPDATE alerts SET document = json_set(document, '$.audit[1]', json_extract(document, '$.audit[2]'),"
                + " '$.audit[2]', json_extract(document, '$.audit[1]'))");

        assertThat(verify("--config", config.toString(), ID)).isEqualTo(1);
        assertThat(out.toString()).startsWith("audit trail of " + ID + ": REORDERED at entry 2");
    }

    @Test
    void aTruncatedTrail_isNamed() throws Exception {
        sql("UPDATE alerts SET document = json_remove(document, '$.audit[3]')");

        assertThat(verify("--config", config.toString(), ID)).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("audit trail of " + ID + ": TRUNCATED at entry 4: the trail ends after "
                + "3 entries; 4 were written\n");
    }

    @Test
    void anArchivedAlert_isVerifiedFromItsFile_andAnEditToItIsNamed() throws Exception {
        ObjectNode archive = RecordJson.toJson(stored).put("audit_head", stored.auditHead().wire());
        Path file = dir.resolve("archive.json");
        Files.writeString(file, archive.toPrettyString());

        assertThat(verify("--archive", file.toString())).isZero();

        ((ObjectNode) ((ArrayNode) archive.get("audit")).get(1)).put("detail", "nothing to see");
        Files.writeString(file, archive.toPrettyString());
        out.getBuffer().setLength(0);

        assertThat(verify("--archive", file.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("audit trail of " + ID + ": EDITED at entry 2");
    }

    @Test
    void anUnknownAlert_orNoSource_isAClearError() {
        assertThat(verify("--config", config.toString(), "01JNOSUCH00000000000000001")).isEqualTo(1);
        assertThat(out.toString()).contains("no alert 01JNOSUCH00000000000000001");
        assertThat(verify()).isEqualTo(2);
    }

    private int verify(String... args) {
        CommandLine cli = new CommandLine(new CloudopsCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 2];
        all[0] = "audit";
        all[1] = "verify";
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.execute(all);
    }

    private void sql(String update) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.file());
             PreparedStatement statement = c.prepareStatement(update + " WHERE alert_id = ?")) {
            statement.setString(1, ID);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
