package dev.cloudops.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.local.CloudopsCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cloudops-local replay} on copies of corpus incidents: edited, broken and unrecorded ones. */
class ReplayCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CloudopsCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** A copy of the corpus incident {@code name} under the temp dir. */
    private Path copy(String name) throws IOException {
        Path from = ReplayCorpusTest.corpus().resolve(name);
        Path to = temp.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static ObjectNode expected(Path dir) throws IOException {
        return (ObjectNode) JSON.readTree(dir.resolve(RecordedIncident.EXPECTED).toFile());
    }

    private static void writeExpected(Path dir, ObjectNode json) throws IOException {
        Files.writeString(dir.resolve(RecordedIncident.EXPECTED), json.toPrettyString());
    }

    @Test
    void anUnchangedIncident_isTheSame_andExitsZero() throws IOException {
        Path dir = copy("disabled-distribution");

        assertThat(run("replay", dir.toString())).isZero();
        assertThat(out.toString()).contains("SAME       disabled-distribution: rules, 'The CloudFront distribution is "
                + "disabled', plan b3ec22c44a04", "1 incidents: 1 same, 0 different, 0 unreadable");
    }

    @Test
    void anEditedPlanHash_isDifferent_withTheOldAndNewHash() throws IOException {
        Path dir = copy("disabled-distribution");
        ObjectNode json = expected(dir);
        ((ObjectNode) json.path("rules").path("plan")).put("hash", "0123456789abcdef".repeat(4));
        writeExpected(dir, json);

        assertThat(run("replay", temp.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("DIFFERENT  disabled-distribution: rules: plan hash 0123456789ab -> "
                + "b3ec22c44a04", "1 incidents: 0 same, 1 different, 0 unreadable");
    }

    @Test
    void anEditedSummaryTitleAndExecutability_areEachNamed() throws IOException {
        Path dir = copy("missing-record");
        ObjectNode json = expected(dir);
        ObjectNode rules = (ObjectNode) json.path("rules");
        rules.put("diagnosis", "Something else");
        ((ObjectNode) rules.path("plan")).put("summary", "Do nothing.").put("executable", false);
        writeExpected(dir, json);

        assertThat(run("replay", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("DIFFERENT  missing-record: rules: diagnosis title 'Something else' -> "
                + "'The DNS record of shop.example.com is missing'; rules: plan summary 'Do nothing.' -> '",
                "; rules: executable false -> true");
    }

    @Test
    void aRecordedPlanWhereTodayThereIsNone_isDifferent_executableVersusNot() throws IOException {
        Path dir = copy("probe-performance");
        ObjectNode json = expected(dir);
        ObjectNode rules = (ObjectNode) json.path("rules");
        rules.remove("no_plan");
        rules.putObject("plan").put("hash", "ab".repeat(32)).put("summary", "Old plan.").put("executable", true)
                .putArray("actions").add("cloudfront.create_invalidation");
        writeExpected(dir, json);

        assertThat(run("replay", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("rules: executable plan plan abababababab -> no executable plan (the report "
                + "has no plan block)");
    }

    @Test
    void aModelAnswerGone_changesTheAcceptedAnalyser() throws IOException {
        Path dir = copy("model-answer-accepted");
        Files.delete(dir.resolve(RecordedIncident.MODEL_ANSWER));

        assertThat(run("replay", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("model answer: recorded in expected.json but model-answer.md is gone",
                "accepted analyser bedrock -> rules");
    }

    @Test
    void aModelAnswerWhosePlanNoLongerPasses_isDifferent_withTheReason() throws IOException {
        Path dir = copy("model-answer-accepted");
        Path answer = dir.resolve(RecordedIncident.MODEL_ANSWER);
        Files.writeString(answer, Files.readString(answer).replace("\"E3\"", "\"E7\""));

        assertThat(run("replay", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("model answer: executable plan plan fd771faf5c14 -> no executable plan "
                + "(step S1 cites evidence E7, which the evidence pack does not have)", "accepted analyser bedrock -> rules");
    }

    @Test
    void aFolder_replaysEachIncident_andCountsThem() throws IOException {
        copy("wrong-alias");
        copy("probe-timeout");
        Path changed = copy("renewal-blocked");
        ObjectNode json = expected(changed);
        ((ObjectNode) json.path("rules")).put("root_cause", "old words");
        writeExpected(changed, json);

        assertThat(run("replay", temp.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("SAME       probe-timeout:", "DIFFERENT  renewal-blocked: rules: root cause "
                + "'old words' -> '", "SAME       wrong-alias:", "3 incidents: 2 same, 1 different, 0 unreadable");
    }

    @Test
    void unreadableInput_exitsTwo_namingTheFileAndTheProblem() throws IOException {
        Path broken = copy("wrong-alias");
        Files.writeString(broken.resolve(RecordedIncident.EVIDENCE), "{\"alert_id\": \"x\"}");
        Path unrecorded = copy("probe-timeout");
        Files.delete(unrecorded.resolve(RecordedIncident.EXPECTED));
        Path badIncident = copy("missing-record");
        Files.writeString(badIncident.resolve(RecordedIncident.INCIDENT),
                Files.readString(badIncident.resolve(RecordedIncident.INCIDENT)).replace("DNS_FAILURE", "DNS_BROKEN"));
        copy("deploying-distribution");

        assertThat(run("replay", temp.toString())).isEqualTo(2);
        assertThat(out.toString())
                .contains("UNREADABLE wrong-alias: " + broken.resolve("evidence.json") + ": $.items: missing or not an array")
                .contains("UNREADABLE probe-timeout: " + unrecorded.resolve("expected.json")
                        + ": missing; record it with --record")
                .contains("UNREADABLE missing-record: " + badIncident.resolve("incident.json")
                        + ": $.issue_type: 'DNS_BROKEN' is not one of [DNS_FAILURE")
                .contains("SAME       deploying-distribution:", "4 incidents: 1 same, 0 different, 3 unreadable");
    }

    @Test
    void notJsonAndMissingFolders_exitTwo() throws IOException {
        Path dir = copy("wrong-alias");
        Files.writeString(dir.resolve(RecordedIncident.EXPECTED), "{ not json");

        assertThat(run("replay", dir.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("UNREADABLE wrong-alias: " + dir.resolve("expected.json") + ": not JSON: ");

        assertThat(run("replay", temp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot replay " + temp.resolve("nowhere") + ": no such directory");

        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertThat(run("replay", empty.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(empty + ": holds no recorded incident (no incident.json in it or below it)");

        assertThat(run("replay")).isEqualTo(2);
        assertThat(run("replay", "--force", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--force only goes with --record");
    }

    @Test
    void record_refusesToOverwrite_withoutForce() throws IOException {
        Path dir = copy("disabled-distribution");
        ObjectNode json = expected(dir);
        ((ObjectNode) json.path("rules")).put("diagnosis", "Recorded long ago");
        writeExpected(dir, json);
        String before = Files.readString(dir.resolve(RecordedIncident.EXPECTED));

        assertThat(run("replay", "--record", dir.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("REFUSED    disabled-distribution: expected.json exists; pass --force to "
                + "overwrite it", "1 incidents: 0 recorded, 1 refused, 0 unreadable");
        assertThat(Files.readString(dir.resolve(RecordedIncident.EXPECTED))).isEqualTo(before);

        assertThat(run("replay", "--record", "--force", dir.toString())).isZero();
        assertThat(out.toString()).contains("RECORDED   disabled-distribution: rules, 'The CloudFront distribution is "
                + "disabled', plan b3ec22c44a04");
        assertThat(expected(dir).path("rules").path("diagnosis").asText()).isEqualTo("The CloudFront distribution is disabled");
        assertThat(run("replay", dir.toString())).isZero();
    }

    @Test
    void record_writesANewIncidentsExpectedOutcome_whichThenReplaysTheSame() throws IOException {
        Path dir = copy("model-answer-cites-missing-evidence");
        String recorded = Files.readString(dir.resolve(RecordedIncident.EXPECTED), StandardCharsets.UTF_8);
        Files.delete(dir.resolve(RecordedIncident.EXPECTED));

        assertThat(run("replay", "--record", temp.toString())).isZero();
        assertThat(out.toString()).contains("RECORDED   model-answer-cites-missing-evidence: rules, ");
        assertThat(Files.readString(dir.resolve(RecordedIncident.EXPECTED))).isEqualTo(recorded);
        assertThat(run("replay", temp.toString())).isZero();
    }
}
