package dev.cloudops.local;

import dev.cloudops.approval.page.Pages;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteRunbookStore;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.time.Timestamps;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbooks}: lists the runbooks learned in a local data folder, {@code runbooks promote} makes one active, and
 * {@code runbooks auto-approval} sets from how many verified successes one approves its plan for LOW alerts by itself.
 * The local portal has no sign-in, so its runbook pages refuse; here the person is whoever runs the command on the
 * machine that holds the data, as for the local queue. It works while {@code serve} or {@code demo} runs on the
 * same folder (SQLite, WAL, writers wait for each other).
 */
@Command(name = "runbooks", mixinStandardHelpOptions = true,
        subcommands = {RunbooksCommand.Promote.class, RunbooksCommand.AutoApproval.class},
        description = "List the runbooks learned from verified executions (id, status, record, plan template).%n"
                + "Exit status: 0 listed, 1 no local database in the folder.")
final class RunbooksCommand implements Callable<Integer> {

    /** The demo's data folder: the one a person following the README has. */
    static final String DEFAULT_DATA = "cloudops-demo/data";

    // Inherited: `runbooks promote ID --data DIR` sets this field too.
    @Option(names = "--data", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "data folder of serve or demo (data_dir of its configuration; default: ${DEFAULT-VALUE})")
    private Path data = Path.of(DEFAULT_DATA);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<SqliteRunbookStore> store = store(data, out);
        if (store.isEmpty()) {
            return 1;
        }
        List<Runbook> all = new ArrayList<>(store.get().list(Runbook.Status.ACTIVE, 1000));
        all.addAll(store.get().list(Runbook.Status.CANDIDATE, 1000));
        if (all.isEmpty()) {
            out.println("no runbooks in " + data + " yet: a verified execution of a plan with a step that runs "
                    + "teaches one");
            return 0;
        }
        for (Runbook r : all) {
            out.println(r.id() + "  " + r.status() + "  " + r.template().issueType());
            out.println("    " + record(r));
            out.println("    plan: " + r.planTemplate());
        }
        if (all.stream().anyMatch(r -> r.status() == Runbook.Status.CANDIDATE)) {
            out.println("promote a candidate with: runbooks promote ID --by \"Your Name\" --data " + data);
        }
        return 0;
    }

    /** What a person weighs before promoting: who taught it, how it fared, who promoted it. */
    static String record(Runbook r) {
        return "learned from alert " + r.taughtBy() + " on " + Timestamps.forPeople(r.learnedAt()) + "; "
                + r.verifiedSuccesses() + (r.verifiedSuccesses() == 1 ? " verified success, " : " verified successes, ")
                + r.uses() + (r.uses() == 1 ? " use" : " uses") + "; last failure: "
                + (r.lastFailureAt() == null ? "none" : Timestamps.forPeople(r.lastFailureAt())
                        + (r.lastFailure() == null ? "" : " (" + r.lastFailure() + ")"))
                + (r.promotedBy() == null ? "" : "; promoted by " + r.promotedBy() + " on "
                        + Timestamps.forPeople(r.promotedAt()))
                + "; approves low alerts by itself: " + (r.irreversibleStep().isPresent() ? "never (step "
                        + r.irreversibleStep().get() + " cannot be undone)" : r.autoApproveAfter() == 0 ? "off"
                        : "from " + r.autoApproveAfter() + " verified successes (set by " + r.autoApprovalBy() + ")");
    }

    /** The folder's runbook store; empty, with the reason printed, when the folder holds no local database. */
    static Optional<SqliteRunbookStore> store(Path data, PrintWriter out) {
        if (!Files.isRegularFile(data.resolve(SqliteDatabase.FILE_NAME))) {
            out.println("no local database in " + data + " (" + SqliteDatabase.FILE_NAME + "); name the data folder of "
                    + "serve or demo with --data");
            return Optional.empty();
        }
        return Optional.of(new SqliteRunbookStore(SqliteDatabase.open(data)));
    }

    /**
     * What both decisions share: the runbook's id, who decides (recorded), the data folder of the parent command; the
     * decision runs only on a runbook that exists in a local database.
     */
    abstract static class Decision implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "the runbook's id (rb-…), as `runbooks` lists it")
        String id;

        @Option(names = "--by", required = true, paramLabel = "NAME", description = "who decides (recorded)")
        String by;

        @CommandLine.ParentCommand
        RunbooksCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (by.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--by names the person deciding");
            }
            checkOptions();
            Optional<SqliteRunbookStore> store = store(parent.data, out);
            if (store.isEmpty()) {
                return 1;
            }
            Optional<Runbook> found = store.get().find(id);
            if (found.isEmpty()) {
                out.println("no runbook " + id + " in " + parent.data + "; `runbooks --data " + parent.data
                        + "` lists them");
                return 1;
            }
            return decide(store.get(), found.get(), by.strip(), out);
        }

        /** Refuses the decision's own options with a usage error; nothing to check by default. */
        void checkOptions() {
        }

        /** The decision on {@code runbook} by {@code person}: 0 when it was stored, 1 (saying why) when not. */
        abstract int decide(SqliteRunbookStore store, Runbook runbook, String person, PrintWriter out);
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make a candidate runbook active: its plan is then proposed first for every matching alert "
                    + "(still needing approval).%nExit status: 0 promoted, 1 unknown, already active, changed "
                    + "meanwhile, or no local database.")
    static final class Promote extends Decision {

        @Override
        int decide(SqliteRunbookStore store, Runbook runbook, String person, PrintWriter out) {
            if (runbook.status() == Runbook.Status.ACTIVE) {
                out.println("runbook " + id + " is already active (promoted by " + runbook.promotedBy() + " on "
                        + Timestamps.forPeople(runbook.promotedAt()) + "); nothing changed");
                return 1;
            }
            Optional<Runbook> promoted = store.replace(runbook.promoted(person, Clock.systemUTC().instant()));
            if (promoted.isEmpty()) {
                out.println("runbook " + id + " changed while it was being promoted (a verified success or a use was "
                        + "counted); nothing changed: look at it again with `runbooks` and promote it again");
                return 1;
            }
            out.println("runbook " + id + " promoted by " + person + ": its plan is now proposed first for every "
                    + promoted.get().template().issueType() + " alert it fits, and still needs approval");
            out.println("    " + record(promoted.get()));
            return 0;
        }
    }

    @Command(name = "auto-approval", mixinStandardHelpOptions = true,
            description = "Set from how many verified successes a runbook approves its plan for LOW alerts by itself "
                    + "(0: never, the default); refused for a plan with a step that cannot be undone.%nExit status: "
                    + "0 set, 1 unknown, irreversible, unchanged, changed meanwhile, or no local database.")
    static final class AutoApproval extends Decision {

        @Option(names = "--after", required = true, paramLabel = "N",
                description = "verified successes from which it approves by itself, 0 to "
                        + Pages.AUTO_APPROVAL_MAX + " (0: never)")
        private int after;

        @Override
        void checkOptions() {
            if (after < 0 || after > Pages.AUTO_APPROVAL_MAX) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--after is a whole number from 0 "
                        + "(never) to " + Pages.AUTO_APPROVAL_MAX + ", was " + after);
            }
        }

        @Override
        int decide(SqliteRunbookStore store, Runbook runbook, String person, PrintWriter out) {
            if (after > 0 && runbook.irreversibleStep().isPresent()) {
                out.println("runbook " + id + " never approves by itself: step " + runbook.irreversibleStep().get()
                        + " of its plan cannot be undone; nothing changed");
                return 1;
            }
            if (after == runbook.autoApproveAfter()) {
                out.println("runbook " + id + "'s auto-approval is " + (after == 0 ? "off" : "from " + after
                        + " verified successes") + " already; nothing changed");
                return 1;
            }
            Optional<Runbook> set = store.replace(runbook.autoApproving(after, person));
            if (set.isEmpty()) {
                out.println("runbook " + id + " changed meanwhile (a verified success or a use was counted); nothing "
                        + "changed: look at it again with `runbooks` and set it again");
                return 1;
            }
            out.println(after == 0 ? "runbook " + id + " no longer approves anything by itself"
                    : "runbook " + id + " approves its plan for low alerts by itself once it has " + after
                            + " verified successes and is active");
            out.println("    " + record(set.get()));
            return 0;
        }
    }
}
