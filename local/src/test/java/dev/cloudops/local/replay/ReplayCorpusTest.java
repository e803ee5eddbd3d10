package dev.cloudops.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.agent.replay.ReplayRecord;
import dev.cloudops.alert.IssueType;
import dev.cloudops.local.CloudopsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The regression suite of the rule engine and the plan checks: every recorded incident of the corpus, replayed by
 * {@code cloudops-local replay} with today's code, reaches the outcome recorded in its expected.json. When a rule
 * change is intended, re-record (docs/testing.md, "Replay corpus"); otherwise the failure lists what changed.
 */
class ReplayCorpusTest {

    static Path corpus() {
        try {
            return Path.of(ReplayCorpusTest.class.getResource("/replay-corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyRecordedIncident_replaysToTheRecordedOutcome() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CloudopsCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("replay", corpus().toString());

        List<String> notSame = out.toString().lines().filter(l -> l.startsWith("DIFFERENT") || l.startsWith("UNREADABLE")).toList();
        assertThat(notSame).as("incidents whose replay differs from expected.json:%n%s%s", String.join("\n", notSame),
                err).isEmpty();
        assertThat(status).isZero();
        int incidents = RecordedIncident.find(corpus()).size();
        assertThat(out.toString()).contains(incidents + " incidents: " + incidents + " same, 0 different, 0 unreadable");
    }

    @Test
    void theCorpus_coversEveryClassification_bothAnalysers_andEveryKindOfOutcome() {
        List<RecordedIncident> incidents = RecordedIncident.find(corpus()).stream().map(RecordedIncident::read).toList();

        assertThat(incidents).hasSizeGreaterThanOrEqualTo(20);
        Set<IssueType> types = incidents.stream().map(i -> i.incident().issueType())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(IssueType.class)));
        assertThat(types).containsExactlyInAnyOrder(IssueType.values());
        List<ReplayRecord> expected = incidents.stream().map(RecordedIncident::expected).toList();
        assertThat(expected).as("every incident is recorded").doesNotContainNull();
        assertThat(expected).anyMatch(e -> "bedrock".equals(e.accepted()))
                .anyMatch(e -> e.modelAnswer() != null && e.modelAnswer().plan() == null)
                .anyMatch(e -> e.rules().plan() != null && e.rules().plan().executable())
                .anyMatch(e -> e.rules().plan() != null && !e.rules().plan().executable())
                .anyMatch(e -> e.rules().plan() == null && e.rules().diagnosis().equals("Not diagnosed"));
        assertThat(incidents).extracting(RecordedIncident::name)
                .contains("demo-shop-cert-expiring", "demo-api-503", "missing-record", "wrong-alias",
                        "disabled-distribution", "deploying-distribution", "renewal-blocked", "cert-not-covering-host",
                        "origin-access-denied", "errors-after-change", "regional-dns-resolver");
    }
}
