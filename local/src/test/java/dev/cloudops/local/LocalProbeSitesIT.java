package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.Page;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.local.LocalPipeline.SiteReport;
import dev.cloudops.local.demo.DemoResolver;
import dev.cloudops.local.demo.DemoSite;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteProbeStateStore;
import dev.cloudops.monitor.RunReport.Action;
import dev.cloudops.monitor.RunReport.TargetReport;
import dev.cloudops.probe.Classification;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's configuration run by the local pipeline (with the demo account): three probe sites with Q = 2, site-a
 * and site-b on a working demo resolver, site-c on one answering NXDOMAIN for the status page's name. The status
 * page fails from site-c only and stays a regional observation; the shop's expiring certificate (by a name every
 * site resolves) and the API's 503 (by IP) each become exactly one alert, whose stored evidence holds the sites'
 * split.
 */
class LocalProbeSitesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private DemoBed bed;
    private DemoSite site;
    private DemoResolver broken;
    private LocalPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        bed = new DemoBed(dir, console);
        site = bed.site;
        broken = bed.broken;
        pipeline = bed.pipeline;
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void aTargetFailingFromTheNxdomainSiteOnly_isARegionalObservation_withoutAnAlert() {
        List<SiteReport> first = pipeline.probeRound();
        List<SiteReport> second = pipeline.probeRound();

        for (List<SiteReport> round : List.of(first, second)) {
            assertThat(round).extracting(SiteReport::site).containsExactly("site-a", "site-b", "site-c");
            TargetReport fromC = target(round.get(2), site.statusUrl());
            assertThat(fromC.action()).isEqualTo(Action.REGIONAL);
            assertThat(fromC.classification()).isEqualTo(Classification.DNS_FAILURE.name());
            assertThat(fromC.details()).startsWith("regional: failing in site-c only (2 of 3 needed): DNS: "
                    + "status.localhost does not exist (NXDOMAIN) (resolver " + broken.hostAndPort() + ")");
            assertThat(fromC.alertIds()).isEmpty();
            for (SiteReport healthy : round.subList(0, 2)) {
                assertThat(target(healthy, site.statusUrl()).classification()).isEqualTo("HEALTHY");
                assertThat(target(healthy, site.statusUrl()).action()).isEqualTo(Action.NONE);
            }
        }
        assertThat(allAlerts()).noneMatch(a -> a.domain().equals("status.localhost"));
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("[probe site site-c] " + site.statusUrl()
                + " DNS_FAILURE -> REGIONAL (an observation, no alert): regional: failing in site-c only (2 of 3 "
                + "needed)");
        SqliteDatabase database = SqliteDatabase.open(dir.resolve("data"));
        assertThat(new SqliteProbeStateStore(database, "site-c").find(site.statusUrl()).orElseThrow()
                .consecutiveFailures()).as("site-c's own streak").isEqualTo(2);
        assertThat(new SqliteProbeStateStore(database, "site-a").find(site.statusUrl()).orElseThrow()
                .consecutiveFailures()).isZero();
    }

    @Test
    void aTargetFailingFromEverySite_raisesExactlyOneAlert_whoseEvidenceHoldsTheSitesSplit() throws Exception {
        List<SiteReport> first = pipeline.probeRound();
        List<SiteReport> second = pipeline.probeRound();

        for (URI target : List.of(site.apiUrl(), site.shopUrl())) {
            List<TargetReport> reports = Stream.concat(first.stream(), second.stream()).map(s -> target(s, target))
                    .toList();
            // Sites run in order: site-a alone has seen it when it decides first, site-b makes the quorum.
            assertThat(reports).extracting(TargetReport::action).containsExactly(Action.REGIONAL, Action.RAISED,
                    Action.COUNTED, Action.COUNTED, Action.COUNTED, Action.COUNTED);
            List<String> ids = reports.stream().flatMap(r -> r.alertIds().stream()).distinct().toList();
            assertThat(ids).hasSize(1);
            Alert alert = pipeline.alerts().find(ids.getFirst()).orElseThrow();
            assertThat(alert.occurrences()).isEqualTo(5);

            JsonNode items = JSON.readTree(pipeline.artifacts().get(alert.evidenceKey()).content()).get("items");
            List<JsonNode> regions = new ArrayList<>();
            items.forEach(i -> {
                if (i.path("source").asText().equals(RegionalSplit.SOURCE)) {
                    regions.add(i);
                }
            });
            assertThat(regions).as("the probe:Regions item of %s", target).hasSize(1);
            RegionalSplit split = RegionalSplit.fromData(regions.getFirst().get("data")).orElseThrow();
            assertThat(split.required()).isEqualTo(2);
            assertThat(split.failing()).as("when site-b raised it, site-c had not probed yet")
                    .containsExactly("site-a", "site-b");
            assertThat(split.silent()).containsExactly("site-c");
        }
        List<Alert> alerts = allAlerts();
        assertThat(alerts).hasSize(2);
        assertThat(alerts).extracting(Alert::fingerprint).containsExactlyInAnyOrder("shop.demo.localhost#CERT_EXPIRING",
                "127.0.0.1#HTTP_ERROR");
        String shown = console.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("[probe site site-b] " + site.apiUrl() + " HTTP_ERROR -> RAISED alert ");
        assertThat(shown).contains("[probe site site-c] " + site.shopUrl() + " CERT_EXPIRING -> COUNTED alert ");
    }

    private List<Alert> allAlerts() {
        List<Alert> all = new ArrayList<>();
        for (ApprovalStatus status : ApprovalStatus.values()) {
            String cursor = null;
            do {
                Page<Alert> page = pipeline.alerts().listByStatus(status, 100, cursor);
                all.addAll(page.items());
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
        }
        return all;
    }

    private static TargetReport target(SiteReport site, URI url) {
        return site.report().targets().stream().filter(t -> t.url().equals(url.toString())).findFirst()
                .orElseThrow(() -> new AssertionError(site.site() + " has no report of " + url));
    }
}
