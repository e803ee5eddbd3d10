package dev.cloudops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditChain;
import dev.cloudops.audit.ArchivedTrail;
import dev.cloudops.local.sqlite.SqliteAlertRepository;
import dev.cloudops.local.sqlite.SqliteDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code audit verify}: checks an alert's audit trail against its hash chain, in the local store or an archive. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditCommand.Verify.class,
        description = "Audit trail tools.")
final class AuditCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: verify");
    }

    /** Where the trail is read from: the local store (with its configuration) or an archived alert's JSON file. */
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "configuration file of the local runner")
        Path config;

        @Option(names = "--archive", paramLabel = "FILE",
                description = "an archived alert (executions/archive/... in the artifacts bucket or folder)")
        Path archive;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check an alert's audit trail against its hash chain and stored head; name the first "
                    + "edited, missing, reordered or truncated entry.%n"
                    + "Exit status: 0 intact, 1 changed or not verifiable, 2 usage error.")
    static final class Verify implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Source source;

        @Parameters(arity = "0..1", paramLabel = "ALERT", description = "the alert id (with --config)")
        private String alertId;

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (source.archive != null) {
                JsonNode archive;
                try {
                    archive = JSON.readTree(Files.readAllBytes(source.archive));
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + source.archive + ": "
                            + e.getMessage());
                }
                try {
                    return report(out, archive.path("alert_id").asText(), ArchivedTrail.verify(archive));
                } catch (IllegalArgumentException e) {
                    out.println(source.archive + ": " + e.getMessage());
                    return 1;
                }
            }
            if (alertId == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "name the ALERT to verify");
            }
            LocalConfig config = LocalConfig.load(source.config);
            SqliteAlertRepository alerts = new SqliteAlertRepository(SqliteDatabase.open(config.dataDir()),
                    Duration.ofDays(7));
            Optional<Alert> alert = alerts.find(alertId);
            if (alert.isEmpty()) {
                out.println("no alert " + alertId + " in " + config.dataDir());
                return 1;
            }
            Optional<AuditChain.Head> head = alerts.storedHead(alertId);
            if (head.isEmpty()) {
                out.println("audit trail of " + alertId + ": no stored head (written before the trail was chained)");
                return 1;
            }
            return report(out, alertId, AuditChain.verify(alertId, alert.get().audit(), head.get()));
        }

        private static int report(PrintWriter out, String alertId, AuditChain.Verdict verdict) {
            switch (verdict) {
                case AuditChain.Verdict.Intact intact -> {
                    out.println("audit trail of " + alertId + ": intact (" + intact.length() + " entries)");
                    return 0;
                }
                case AuditChain.Verdict.Broken broken -> {
                    out.println("audit trail of " + alertId + ": " + broken.tampering() + " at entry "
                            + (broken.position() + 1) + ": " + broken.detail());
                    return 1;
                }
                case AuditChain.Verdict.Unchained unchained -> {
                    out.println("audit trail of " + alertId + ": entries from " + (unchained.firstUnchained() + 1)
                            + " on were written before the trail was chained; they cannot be verified");
                    return 1;
                }
            }
        }
    }
}
