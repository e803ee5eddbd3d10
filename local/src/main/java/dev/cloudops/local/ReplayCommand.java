package dev.cloudops.local;

import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.agent.replay.Replay;
import dev.cloudops.agent.replay.ReplayInputException;
import dev.cloudops.agent.replay.ReplayRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
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
                + "Exit status: 0 all the same (or recorded), 1 some differ, 2 usage error or unreadable input.")
final class ReplayCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a recorded incident, or a folder of them")
    private Path dir;

    @Option(names = "--record", description = "write each incident's expected.json from today's code instead")
    private boolean record;

    @Option(names = "--force", description = "with --record: overwrite an existing expected.json")
    private boolean force;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (force && !record) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--force only goes with --record");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
}
