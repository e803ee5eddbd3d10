package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.IssueType;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteRunbookStore;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookTemplate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code runbooks}, {@code runbooks promote} and {@code runbooks auto-approval} on a real local database, as a person
 * types them.
 */
class RunbooksCommandIT {

    private static final Instant AT = Instant.parse("2026-12-08T09:00:00Z");
    private static final RunbookTemplate TEMPLATE = new RunbookTemplate(IssueType.CERT_EXPIRING,
            "{\"summary\":\"Restore {{p1}}\"}", List.of(new RunbookTemplate.Parameter("p1",
                    new RunbookTemplate.Source("acm:DescribeCertificate", 0, "/data/validation/0/record_name"), true)),
            List.of(new RunbookTemplate.Predicate(new RunbookTemplate.Source("acm:DescribeCertificate", 0,
                    "/data/validation/0/status"), "PENDING_VALIDATION")));

    @TempDir
    Path data;

    private SqliteRunbookStore store;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void open() {
        store = new SqliteRunbookStore(SqliteDatabase.open(data));
    }

    @Test
    void list_showsEachRunbooksIdStatusRecordAndPlanTemplate() {
        Runbook candidate = store.learned(Runbook.candidate(TEMPLATE, "01JTEACHER", AT), AT);

        int exit = run("runbooks", "--data", data.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains(candidate.id() + "  CANDIDATE  CERT_EXPIRING",
                "learned from alert 01JTEACHER", "1 verified success, 0 uses; last failure: none",
                "plan: " + candidate.planTemplate(), "runbooks promote ID --by");
    }

    @Test
    void list_withNoRunbooks_saysHowOneIsLearned() {
        int exit = run("runbooks", "--data", data.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("no runbooks in " + data + " yet");
    }

    @Test
    void promote_makesACandidateActive_recordingWhoPromotedIt() {
        Runbook candidate = store.learned(Runbook.candidate(TEMPLATE, "01JTEACHER", AT), AT);

        int exit = run("runbooks", "promote", candidate.id(), "--by", "Pat Doe", "--data", data.toString());

        assertThat(exit).isZero();
        Runbook promoted = store.find(candidate.id()).orElseThrow();
        assertThat(promoted.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(promoted.promotedBy()).isEqualTo("Pat Doe");
        assertThat(promoted.promotedAt()).isNotNull();
        assertThat(promoted.version()).isEqualTo(candidate.version() + 1);
        assertThat(out.toString()).contains("runbook " + candidate.id() + " promoted by Pat Doe",
                "proposed first for every CERT_EXPIRING alert it fits, and still needs approval");
    }

    @Test
    void promote_refusesAnUnknownId_withoutChangingAnything() {
        Runbook candidate = store.learned(Runbook.candidate(TEMPLATE, "01JTEACHER", AT), AT);

        int exit = run("runbooks", "promote", "rb-unknown", "--by", "Pat Doe", "--data", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("no runbook rb-unknown in " + data);
        assertThat(store.find(candidate.id()).orElseThrow()).isEqualTo(candidate);
    }

    @Test
    void promote_refusesAnActiveRunbook_namingWhoPromotedIt() {
        Runbook candidate = store.learned(Runbook.candidate(TEMPLATE, "01JTEACHER", AT), AT);
        Runbook active = store.replace(candidate.promoted("Sam Roe", AT.plusSeconds(60))).orElseThrow();

        int exit = run("runbooks", "promote", candidate.id(), "--by", "Pat Doe", "--data", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("runbook " + candidate.id() + " is already active (promoted by Sam Roe");
        assertThat(store.find(candidate.id()).orElseThrow()).isEqualTo(active);
    }

    @Test
    void autoApproval_setsAndClearsIt_recordingWho_andRefusesAPlanThatCannotBeUndone() {
        Runbook candidate = store.learned(Runbook.candidate(TEMPLATE, "01JTEACHER", AT), AT);
        RunbookTemplate oneWay = new RunbookTemplate(IssueType.CERT_EXPIRING, "{\"summary\":\"s\",\"steps\":[{\"id\":"
                + "\"S1\",\"inverse\":{\"irreversible\":\"for a person\"}}]}", List.of(), List.of());
        Runbook irreversible = store.learned(Runbook.candidate(oneWay, "01JOTHER", AT), AT);

        int set = run("runbooks", "auto-approval", candidate.id(), "--after", "3", "--by", "Pat Doe", "--data",
                data.toString());
        Runbook stored = store.find(candidate.id()).orElseThrow();
        int again = run("runbooks", "auto-approval", candidate.id(), "--after", "3", "--by", "Pat Doe", "--data",
                data.toString());
        int never = run("runbooks", "auto-approval", irreversible.id(), "--after", "1", "--by", "Pat Doe", "--data",
                data.toString());
        int tooMany = run("runbooks", "auto-approval", candidate.id(), "--after", "1001", "--by", "Pat Doe", "--data",
                data.toString());
        int off = run("runbooks", "auto-approval", candidate.id(), "--after", "0", "--by", "Sam Roe", "--data",
                data.toString());

        assertThat(set).isZero();
        assertThat(stored.autoApproveAfter()).isEqualTo(3);
        assertThat(stored.autoApprovalBy()).isEqualTo("Pat Doe");
        assertThat(stored.status()).as("setting it promotes nothing").isEqualTo(Runbook.Status.CANDIDATE);
        assertThat(again).isEqualTo(1);
        assertThat(never).isEqualTo(1);
        assertThat(tooMany).isEqualTo(2);
        assertThat(off).isZero();
        assertThat(store.find(candidate.id()).orElseThrow().autoApproveAfter()).isZero();
        assertThat(store.find(irreversible.id()).orElseThrow()).isEqualTo(irreversible);
        assertThat(out.toString()).contains("approves its plan for low alerts by itself once it has 3 verified "
                        + "successes", "approves low alerts by itself: from 3 verified successes (set by Pat Doe)",
                "from 3 verified successes already; nothing changed",
                "never approves by itself: step S1 (for a person) of its plan cannot be undone",
                "no longer approves anything by itself");
    }

    @Test
    void bothCommands_refuseAFolderWithoutALocalDatabase() {
        Path empty = data.resolve("elsewhere");

        int list = run("runbooks", "--data", empty.toString());
        int promote = run("runbooks", "promote", "rb-1", "--by", "Pat Doe", "--data", empty.toString());

        assertThat(list).isEqualTo(1);
        assertThat(promote).isEqualTo(1);
        assertThat(out.toString()).contains("no local database in " + empty);
        assertThat(empty).doesNotExist();
    }

    private int run(String... args) {
        return new CommandLine(new CloudopsCli()).setOut(new PrintWriter(out, true)).execute(args);
    }
}
