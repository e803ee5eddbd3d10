package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Severity;
import dev.cloudops.config.ConfigException;
import java.net.InetSocketAddress;
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
        assertThat(config.probeSites()).isEmpty();
        assertThat(config.quorum()).isEqualTo(1);
        assertThat(config.regionalAlertAfter()).contains(Duration.ofMinutes(30));
    }

    @Test
    void probeSites_areReadInOrder_withTheirResolvers_andAQuorumOfTwoByDefault() throws Exception {
        Path file = dir.resolve("sites.yaml");
        Files.writeString(file, """
                probe_interval: 15s
                probe_sites:
                  - name: home
                  - name: isp-b
                    resolvers: [1.1.1.1:53, "127.0.0.1:5353"]
                  - name: office
                    resolvers: ["[::1]:53"]
                targets:
                  - url: https://www.example.com/
                """);

        LocalConfig config = LocalConfig.load(file);

        assertThat(config.probeSites()).extracting(LocalConfig.ProbeSite::name).containsExactly("home", "isp-b",
                "office");
        assertThat(config.probeSites().get(0).resolvers()).isEmpty();
        assertThat(config.probeSites().get(1).resolvers()).containsExactly(new InetSocketAddress("1.1.1.1", 53),
                new InetSocketAddress("127.0.0.1", 5353));
        assertThat(config.probeSites().get(2).resolvers()).containsExactly(new InetSocketAddress("::1", 53));
        assertThat(config.quorum()).isEqualTo(2);
        assertThat(config.quorumWindow()).as("two probe intervals").isEqualTo(Duration.ofSeconds(30));
        assertThat(config.regionalAlertAfter()).contains(Duration.ofMinutes(30));
    }

    @Test
    void quorumWindowAndRegionalAlertAfter_canBeSet_orTheRegionalAlertTurnedOff() throws Exception {
        Path file = dir.resolve("sites.yaml");
        Files.writeString(file, """
                probe_sites: [{name: a}, {name: b}, {name: c}]
                quorum: 3
                quorum_window: 5m
                regional_alert_after: off
                targets:
                  - url: https://www.example.com/
                """);

        LocalConfig config = LocalConfig.load(file);

        assertThat(config.quorum()).isEqualTo(3);
        assertThat(config.quorumWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.regionalAlertAfter()).isEmpty();
    }

    @Test
    void badProbeSites_nameEveryProblemAtOnce() throws Exception {
        Path file = dir.resolve("bad-sites.yaml");
        Files.writeString(file, """
                probe_sites:
                  - name: home
                  - name: home
                  - name: "two words"
                  - name: "a#b"
                  - resolvers: [1.1.1.1]
                  - name: isp
                    resolvers: [dns.example.com, "1.1.1.1:99999"]
                    region: eu
                quorum: 7
                quorum_window: forever
                regional_alert_after: sometimes
                targets:
                  - url: https://www.example.com/
                """);

        assertThatThrownBy(() -> LocalConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe_sites[2]: the name 'home' is used by another site; names must be unique")
                .hasMessageContaining("probe_sites[3]: the name 'two words' must not contain blanks or '#'")
                .hasMessageContaining("probe_sites[4]: the name 'a#b' must not contain blanks or '#'")
                .hasMessageContaining("probe_sites[5] needs a name")
                .hasMessageContaining("probe_sites[isp].resolvers: resolvers must list IP addresses with optional ports")
                .hasMessageContaining("'dns.example.com'")
                .hasMessageContaining("probe_sites[isp].resolvers: resolvers has an invalid address '1.1.1.1:99999'")
                .hasMessageContaining("probe_sites[isp]: unknown option 'region'")
                .hasMessageContaining("quorum: 7 is more than the 6 probe sites (1 <= quorum <= 6)")
                .hasMessageContaining("QUORUM_WINDOW")
                .hasMessageContaining("REGIONAL_ALERT_AFTER");
    }

    @Test
    void aQuorumWithoutProbeSites_isRefused() throws Exception {
        Path file = dir.resolve("quorum.yaml");
        Files.writeString(file, """
                quorum: 2
                targets:
                  - url: https://www.example.com/
                """);

        assertThatThrownBy(() -> LocalConfig.load(file))
                .hasMessageContaining("quorum: 2 needs probe_sites (without them one site decides alone)");
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
