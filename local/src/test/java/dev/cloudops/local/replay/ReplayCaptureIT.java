package dev.cloudops.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.local.CloudopsCli;
import dev.cloudops.local.files.FolderArtifactStore;
import dev.cloudops.local.sqlite.SqliteAlertRepository;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.monitor.investigate.AlertInvestigator;
import dev.cloudops.monitor.investigate.CostModel;
import dev.cloudops.testing.EvidenceFixtures;
import dev.cloudops.testing.RecordingMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code replay --capture ALERT}: an alert analysed by the real investigator into the local store (SQLite and the
 * artifact folder) becomes a recorded incident that replays the same; a store whose plan today's code no longer
 * reaches is reported.
 */
class ReplayCaptureIT {

    private static final Instant DETECTED = Instant.parse("2026-11-27T02:29:00Z");
    private static final Clock CLOCK = Clock.fixed(DETECTED.plusSeconds(30), ZoneOffset.UTC);
    private static final EvidencePack DISABLED = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
            .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, "shop-site.s3.eu-west-1.amazonaws.com", "E3OAC")
            .pack();

    @TempDir
    Path temp;

    private Path config;
    private SqliteAlertRepository alerts;
    private FolderArtifactStore artifacts;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private int serial;

    @BeforeEach
    void store() throws Exception {
        config = temp.resolve("cloudops.yaml");
        Files.writeString(config, """
                data_dir: data
                targets:
                  - url: https://shop.example.com/
                """);
        alerts = new SqliteAlertRepository(SqliteDatabase.open(temp.resolve("data")), Duration.ofDays(7));
        artifacts = new FolderArtifactStore(temp.resolve("data").resolve("artifacts"), URI.create("http://127.0.0.1:8080"),
                new byte[32], Duration.ofMinutes(15), CLOCK);
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CloudopsCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** An alert detected and analysed the way the local runner does it, with {@code agent} when given. */
    private Alert analysed(Optional<RemediationAgent> agent, RemediationAgent rules) {
        Alert detected = alerts.create(Alert.detect("01JCAPTURE" + String.format("%016d", ++serial), DETECTED,
                URI.create("https://shop.example.com/"), IssueType.HTTP_ERROR, Severity.HIGH,
                "HTTP: https://shop.example.com/ answered 403", Actor.system("monitor")));
        new AlertInvestigator((id, host) -> new EvidencePack(id, host, DISABLED.collectedAt(), DISABLED.items()), agent,
                rules, artifacts, alerts, CLOCK, new RecordingMetrics(), CostModel.defaults()).investigate(detected);
        return alerts.find(detected.alertId()).orElseThrow();
    }

    @Test
    void anAlertTheRulesAnalysed_isCaptured_andReplaysTheSame() throws Exception {
        Alert alert = analysed(Optional.empty(), new RuleBasedRemediationAgent());
        Path dir = temp.resolve("corpus").resolve("captured");

        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(), dir.toString())).isZero();

        assertThat(out.toString()).contains("CAPTURED   " + alert.alertId() + ": rules, 'The CloudFront distribution is "
                + "disabled', plan " + alert.planHash().substring(0, 12)).doesNotContain("DIFFERENT");
        assertThat(Files.readAllBytes(dir.resolve(RecordedIncident.EVIDENCE)))
                .isEqualTo(artifacts.get(alert.evidenceKey()).content());
        assertThat(dir.resolve(RecordedIncident.MODEL_ANSWER)).doesNotExist();
        RecordedIncident read = RecordedIncident.read(dir);
        assertThat(read.incident().alertId()).isEqualTo(alert.alertId());
        assertThat(read.expected().rules().plan().hash()).isEqualTo(alert.planHash());

        assertThat(run("replay", temp.resolve("corpus").toString())).isZero();
        assertThat(out.toString()).contains("SAME       captured: rules,");
    }

    @Test
    void anAlertTheAgentAnalysed_keepsItsAnswer_asTheModelAnswer() throws Exception {
        RemediationAgent agent = (incident, evidence) -> {
            AgentReport r = new RuleBasedRemediationAgent().analyze(incident, evidence);
            return new AgentReport(Analyzer.BEDROCK, "session-1", r.markdown().replace("Re-enable distribution",
                    "The agent re-enables distribution"), 1200, 800, List.of(), null, null);
        };
        Alert alert = analysed(Optional.of(agent), new RuleBasedRemediationAgent());
        Path dir = temp.resolve("by-agent");

        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(), dir.toString())).isZero();

        assertThat(Files.readAllBytes(dir.resolve(RecordedIncident.MODEL_ANSWER)))
                .isEqualTo(artifacts.get(alert.s3AnalysisKey()).content());
        RecordedIncident read = RecordedIncident.read(dir);
        assertThat(read.expected().accepted()).isEqualTo("bedrock");
        assertThat(read.expected().modelAnswer().plan().hash()).isEqualTo(alert.planHash());
        assertThat(read.expected().rules().plan().hash()).isNotEqualTo(alert.planHash());
        assertThat(out.toString()).contains("CAPTURED   " + alert.alertId() + ": bedrock,");
    }

    @Test
    void aStoredPlanTodaysCodeNoLongerReaches_isReported() {
        RemediationAgent yesterday = (incident, evidence) -> {
            AgentReport r = new RuleBasedRemediationAgent().analyze(incident, evidence);
            return new AgentReport(r.analyzer(), null, r.markdown().replace("Re-enable distribution",
                    "Turn on distribution"), 0, 0, r.affectedServices(), r.estimatedImpact(), null);
        };
        Alert alert = analysed(Optional.empty(), yesterday);

        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(),
                temp.resolve("changed").toString())).isEqualTo(1);

        assertThat(out.toString()).contains("DIFFERENT  " + alert.alertId() + ": the alert holds rules's plan "
                + alert.planHash() + "; today's code reaches rules's ");
    }

    @Test
    void anExistingIncident_unknownAlerts_andMissingOptions_exitTwo() throws Exception {
        Alert alert = analysed(Optional.empty(), new RuleBasedRemediationAgent());
        Path dir = temp.resolve("once");
        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(), dir.toString())).isZero();

        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(), dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot capture into " + dir + ": it already holds a recorded incident; "
                + "pass --force to overwrite it");
        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(), "--force",
                dir.toString())).isZero();

        assertThat(run("replay", "--capture", "01JNOSUCHALERT", "--config", config.toString(),
                temp.resolve("none").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no alert 01JNOSUCHALERT in ");
        assertThat(run("replay", "--capture", alert.alertId(), dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--capture and --config go together");

        Files.delete(temp.resolve("data").resolve("artifacts").resolve(alert.evidenceKey()));
        assertThat(run("replay", "--capture", alert.alertId(), "--config", config.toString(),
                temp.resolve("lost").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot capture " + alert.alertId() + ": ", alert.evidenceKey() + ": missing");
    }
}
