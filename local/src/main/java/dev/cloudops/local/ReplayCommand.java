package dev.cloudops.local;

import dev.cloudops.agent.Incident;
import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.agent.replay.Replay;
import dev.cloudops.agent.replay.ReplayInputException;
import dev.cloudops.agent.replay.ReplayRecord;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.local.sqlite.SqliteAlertRepository;
import dev.cloudops.local.sqlite.SqliteDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay DIR}: re-runs the analysis of recorded incidents with today's code (the rule engine, and the plan
 * checks on a recorded model answer) and says, per incident, whether it reaches what was recorded and if not why.
 * {@code --record} writes the recorded outcome instead.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-run the analysis of recorded incidents offline and compare with what was recorded.%n"
                + "DIR is one incident (a directory with incident.json, evidence.json, optionally model-answer.md, "
                + "and expected.json) or a folder of them.%n"
                + "With --capture ALERT --config FILE: write DIR from what the local runner stored for the alert (its "
                + "facts, its evidence/ artifact, and its analyses/ report when the agent wrote it) and record it.%n"
                + "Exit status: 0 all the same (or recorded), 1 some differ, 2 usage error or unreadable input.")
final class ReplayCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a recorded incident, or a folder of them")
    private Path dir;

    @Option(names = "--record", description = "write each incident's expected.json from today's code instead")
    private boolean record;

    @Option(names = "--force", description = "with --record: overwrite an existing expected.json; with --capture: an existing incident")
    private boolean force;

    @Option(names = "--capture", paramLabel = "ALERT",
            description = "write DIR as the recorded incident of ALERT from the local store (with --config)")
    private String capture;

    @Option(names = "--config", paramLabel = "FILE", description = "with --capture: the local runner's configuration")
    private Path config;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (force && !record && capture == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--force only goes with --record or --capture");
        }
        if ((capture == null) != (config == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--capture and --config go together");
        }
        if (capture != null && record) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--capture records already; drop --record");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (capture != null) {
            return capture(out, err);
        }
        List<Path> incidents;
        try {
            incidents = RecordedIncident.find(dir);
        } catch (ReplayInputException e) {
            err.println("cannot replay " + e.getMessage());
            return 2;
        }
        Replay replay = new Replay();
        int same = 0;
        int different = 0;
        int unreadable = 0;
        int recorded = 0;
        int refused = 0;
        for (Path incident : incidents) {
            String name = name(incident);
            try {
                RecordedIncident read = RecordedIncident.read(incident);
                if (record) {
                    if (read.expected() != null && !force) {
                        out.printf("REFUSED    %s: %s exists; pass --force to overwrite it%n", name,
                                RecordedIncident.EXPECTED);
                        refused++;
                        continue;
                    }
                    ReplayRecord today = replay.run(read);
                    RecordedIncident.writeExpected(incident, today);
                    out.printf("RECORDED   %s: %s, %s%n", name, today.accepted(), today.acceptedOutcome().describe());
                    recorded++;
                    continue;
                }
                Replay.Verdict verdict = replay.check(read);
                if (verdict.same()) {
                    out.printf("SAME       %s: %s, %s%n", name, verdict.today().accepted(),
                            verdict.today().acceptedOutcome().describe());
                    same++;
                } else {
                    out.printf("DIFFERENT  %s: %s%n", name, String.join("; ", verdict.differences()));
                    different++;
                }
            } catch (ReplayInputException e) {
                out.printf("UNREADABLE %s: %s%n", name, e.getMessage());
                unreadable++;
            }
        }
        if (record) {
            out.printf("%d incidents: %d recorded, %d refused, %d unreadable%n", incidents.size(), recorded, refused,
                    unreadable);
            out.flush();
            return refused + unreadable > 0 ? 2 : 0;
        }
        out.printf("%d incidents: %d same, %d different, %d unreadable%n", incidents.size(), same, different,
                unreadable);
        out.flush();
        return unreadable > 0 ? 2 : different > 0 ? 1 : 0;
    }

    /** The incident's path relative to DIR (its own name when DIR is the incident). */
    private String name(Path incident) {
        Path relative = dir.relativize(incident);
        return relative.toString().isEmpty() ? String.valueOf(incident.toAbsolutePath().normalize().getFileName())
                : relative.toString();
    }

    /**
     * Writes DIR from the local store: the alert's facts, its stored evidence pack and, when the agent answered, its
     * stored report as the model answer; records expected.json with today's code and says whether that reaches the
     * plan the alert holds.
     */
    private int capture(PrintWriter out, PrintWriter err) {
        if (RecordedIncident.isIncident(dir) && !force) {
            err.println("cannot capture into " + dir + ": it already holds a recorded incident; pass --force to "
                    + "overwrite it");
            return 2;
        }
        LocalConfig local = LocalConfig.load(config);
        Optional<Alert> found = new SqliteAlertRepository(SqliteDatabase.open(local.dataDir()), Duration.ofDays(7))
                .find(capture);
        if (found.isEmpty()) {
            err.println("no alert " + capture + " in " + local.dataDir());
            return 2;
        }
        Alert alert = found.get();
        if (alert.evidenceKey() == null) {
            err.println("alert " + capture + " has no stored evidence: it was not analysed (state " + alert.state() + ")");
            return 2;
        }
        Path artifacts = local.dataDir().resolve("artifacts");
        RecordedIncident incident;
        try {
            EvidencePack evidence = EvidencePack.fromJsonBytes(artifact(artifacts, alert.evidenceKey()));
            String answer = alert.analyzer() == Analyzer.BEDROCK && alert.s3AnalysisKey() != null
                    ? new String(artifact(artifacts, alert.s3AnalysisKey()), StandardCharsets.UTF_8) : null;
            incident = new RecordedIncident(dir, Incident.of(alert), evidence, answer, null);
        } catch (ReplayInputException e) {
            err.println("cannot capture " + capture + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("cannot capture " + capture + ": " + artifacts.resolve(alert.evidenceKey()) + ": "
                    + e.getMessage());
            return 2;
        }
        try {
            Files.deleteIfExists(dir.resolve(RecordedIncident.MODEL_ANSWER));
        } catch (IOException e) {
            err.println("cannot capture into " + dir + ": " + e.getMessage());
            return 2;
        }
        incident.writeInputs();
        ReplayRecord today = new Replay().run(incident);
        RecordedIncident.writeExpected(dir, today);
        String plan = today.acceptedOutcome().plan() == null ? null : today.acceptedOutcome().plan().hash();
        String stored = alert.planHash();
        boolean same = Objects.equals(plan, stored)
                && today.accepted().equals(alert.analyzer() == Analyzer.BEDROCK ? "bedrock" : "rules");
        out.printf("CAPTURED   %s: %s, %s%n", capture, today.accepted(), today.acceptedOutcome().describe());
        if (!same) {
            out.printf("DIFFERENT  %s: the alert holds %s's plan %s; today's code reaches %s's %s%n", capture,
                    alert.analyzer() == null ? "no analyser" : alert.analyzer().wireName(),
                    stored == null ? "(none)" : stored, today.accepted(), plan == null ? "no executable plan" : plan);
        }
        out.flush();
        return same ? 0 : 1;
    }

    private static byte[] artifact(Path root, String key) {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root.normalize())) {
            throw new ReplayInputException(file, "the stored key leaves the artifact folder");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ReplayInputException(file, Files.exists(file) ? "cannot be read: " + e.getMessage() : "missing");
        }
    }
}
