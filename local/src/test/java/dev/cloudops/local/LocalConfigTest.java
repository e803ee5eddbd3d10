package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Severity;
import dev.cloudops.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConfigTest {

    @TempDir
    Path dir;

    @Test
    void theCommittedExample_loadsWithItsDocumentedDefaults() {
        LocalConfig config = LocalConfig.load(Path.of("..", "examples", "cloudops.yaml"));

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.probeInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.linkModeSeverities()).containsExactlyInAnyOrder(Severity.LOW, Severity.MEDIUM);
        assertThat(config.maxPerHour()).isEqualTo(10);
        assertThat(config.teamsWebhook()).isEmpty();
        assertThat(config.awsRegion()).isEmpty();
        assertThat(config.dataDir().endsWith(Path.of("examples", "cloudops-data"))).isTrue();
        assertThat(config.targetsDocument()).contains("https://www.example.com/");
    }

    @Test
    void aBadFile_namesEveryProblem() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                portal: {port: 99999}
                probe_interval: soon
                notifications: {teams_webhook: "not a url"}
                approval: {link_mode_severities: [low, urgent]}
                execution: {windows: "medium=weekdays"}
                bedrock: {agent_id: A1}
                targets:
                  - url: ftp://example.com/
                """);

        assertThatThrownBy(() -> LocalConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PORTAL_PORT")
                .hasMessageContaining("PROBE_INTERVAL")
                .hasMessageContaining("NOTIFICATIONS_TEAMS_WEBHOOK")
                .hasMessageContaining("'urgent' is not a severity")
                .hasMessageContaining("execution.windows: 'weekdays'")
                .hasMessageContaining("bedrock: set agent_id and alias_id together")
                .hasMessageContaining("targets:");
    }

    @Test
    void aFileWithoutTargets_isRefused() throws Exception {
        Path file = dir.resolve("empty.yaml");
        Files.writeString(file, "portal: {port: 0}\n");

        assertThatThrownBy(() -> LocalConfig.load(file)).hasMessageContaining("targets must list at least one target");
    }
}
