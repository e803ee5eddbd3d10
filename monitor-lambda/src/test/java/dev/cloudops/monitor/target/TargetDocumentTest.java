package dev.cloudops.monitor.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetDocumentTest {

    @Test
    void parse_readsYaml_withDefaultsAndPerTargetSettings() {
        TargetList list = TargetDocument.parse("""
                defaults:
                  severity: high
                  failures_before_alert: 3
                targets:
                  - url: https://www.example.com/
                    expected_status: [200, 301]
                    keyword: "Welcome (shop)"
                    latency_threshold_ms: 1500
                    cert_warning_days: 21
                    successes_before_recovery: 2
                    follow_redirects: false
                    tags: {team: web, tier: 1}
                    owners: [web-oncall@example.com]
                    alarm_names: [shop-5xx-rate]
                  - url: https://api.example.com/health
                    severity: critical
                    keyword_regex: "\\"status\\":\\\\s*\\"ok\\""
                """);

        assertThat(list.problems()).isEmpty();
        Target shop = list.targets().get(0);
        assertThat(shop.url()).isEqualTo(URI.create("https://www.example.com/"));
        assertThat(shop.expectedStatuses()).containsExactlyInAnyOrder(200, 301);
        assertThat(shop.bodyPattern().matcher("<h1>Welcome (shop)</h1>").find()).isTrue();
        assertThat(shop.bodyPattern().matcher("<h1>Welcome shop</h1>").find()).as("keyword is literal").isFalse();
        assertThat(shop.latencyThreshold()).isEqualTo(Duration.ofMillis(1500));
        assertThat(shop.certWarningDays()).isEqualTo(21);
        assertThat(shop.followRedirects()).isFalse();
        assertThat(shop.severity()).isEqualTo(Severity.HIGH);
        assertThat(shop.failuresBeforeAlert()).isEqualTo(3);
        assertThat(shop.successesBeforeRecovery()).isEqualTo(2);
        assertThat(shop.tags()).isEqualTo(Map.of("team", "web", "tier", "1"));
        assertThat(shop.owners()).containsExactly("web-oncall@example.com");
        assertThat(shop.alarmNames()).containsExactly("shop-5xx-rate");
        Target api = list.targets().get(1);
        assertThat(api.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(api.failuresBeforeAlert()).isEqualTo(3);
        assertThat(api.expectedStatuses()).isEqualTo(Target.DEFAULT_STATUSES);
        assertThat(api.bodyPattern().matcher("{\"status\": \"ok\"}").find()).isTrue();
    }

    @Test
    void parse_readsAJsonListWithBuiltInDefaults() {
        TargetList list = TargetDocument.parse("[{\"url\": \"http://intranet.example:8080/ping\"}]");

        Target t = list.targets().getFirst();
        assertThat(t.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(t.failuresBeforeAlert()).isEqualTo(2);
        assertThat(t.successesBeforeRecovery()).isEqualTo(1);
        assertThat(t.certWarningDays()).isEqualTo(14);
        assertThat(t.latencyThreshold()).isEqualTo(Duration.ofSeconds(3));
        assertThat(t.probeSpec().port()).isEqualTo(8080);
    }

    @Test
    void parse_reportsEveryInvalidEntry_withItsPositionAndReasons_andKeepsTheValidOnes() {
        TargetList list = TargetDocument.parse("""
                targets:
                  - url: https://good.example/
                  - url: ftp://files.example/
                    severity: urgent
                  - owners: [nobody]
                    severty: high
                  - url: https://good.example
                  - url: https://other.example/
                    expected_status: [200, 999]
                    failures_before_alert: 0
                    keyword_regex: "(unclosed"
                  - just a string
                """);

        assertThat(list.targets()).extracting(Target::url).containsExactly(URI.create("https://good.example/"));
        assertThat(list.problems()).extracting(TargetProblem::toString).containsExactly(
                "targets[1] (line 3): 'url' must be an absolute http or https URL, was 'ftp://files.example/'; "
                        + "'severity' must be one of critical, high, medium, low, was 'urgent'",
                "targets[2] (line 5): unknown setting 'severty'; 'url' is missing",
                "targets[3] (line 7): duplicate url https://good.example (already listed above)",
                "targets[4] (line 8): 'expected_status' must hold HTTP status codes (100-599), found '999'; "
                        + "'keyword_regex' is not a valid regular expression: Unclosed group; "
                        + "'failures_before_alert' must be a whole number from 1 to 100, was '0'",
                "targets[5] (line 12): a target must be a mapping with at least 'url'");
    }

    @Test
    void parse_rejectsADocumentThatIsNotATargetList() {
        assertThatThrownBy(() -> TargetDocument.parse("targets: [unclosed"))
                .isInstanceOf(InvalidTargetDocumentException.class).hasMessageContaining("not valid YAML or JSON");
        assertThatThrownBy(() -> TargetDocument.parse("sites:\n  - url: https://a.example/"))
                .isInstanceOf(InvalidTargetDocumentException.class).hasMessageContaining("'sites'");
        assertThatThrownBy(() -> TargetDocument.parse("just text"))
                .isInstanceOf(InvalidTargetDocumentException.class);
    }

    @Test
    void find_matchesUrlsLikeABrowserWould() {
        TargetList list = TargetDocument.parse("[{url: 'HTTPS://Shop.Example.com:443/'}]");

        assertThat(list.find(URI.create("https://shop.example.com"))).isPresent();
        assertThat(list.find(URI.create("https://shop.example.com/other"))).isEmpty();
        assertThat(Set.copyOf(List.of(list.targets().getFirst().severity()))).containsExactly(Severity.MEDIUM);
    }
}
