package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.RuleReports.analyze;
import static dev.cloudops.agent.rules.RuleReports.assertOnlyManual;
import static dev.cloudops.agent.rules.RuleReports.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.testing.EvidenceFixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule engine's regional diagnoses: what the split between probe regions says about a failure. */
class RegionalRulesTest {

    private static final Instant AT = Instant.parse("2026-11-27T02:28:00Z");
    private static final String ORIGIN = "shop-site.s3.eu-west-1.amazonaws.com";


    @Test
    void dnsFailingFromOneRegion_withTheRecordsIntact_isTheResolver_andChangesNothing() {
        EvidencePack evidence = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, ORIGIN, "E3OAC")
                .regions(failingIn(Layer.DNS, Classification.DNS_FAILURE, "eu-west-1")).pack();

        AgentReport report = analyze(IssueType.DNS_FAILURE, "DNS: shop.example.com does not exist (NXDOMAIN)", evidence);

        assertThat(report.markdown()).contains("shop.example.com does not resolve from eu-west-1 only: a resolver")
                .contains("while ap-southeast-2, us-east-1 resolve")
                .contains("| From eu-west-1: DNS_FAILURE at the DNS layer | E4 | high |");
        assertOnlyManual(planOf(report), "cannot resolve shop.example.com while ap-southeast-2, us-east-1 can");
        assertThat(report.affectedServices()).containsExactly("Route 53");
    }

    @Test
    void dnsFailingFromOneRegion_withGeolocationRecords_pointsAtTheRoutingRecord() {
        EvidencePack evidence = new EvidenceFixtures().zone().geolocationRecords(EvidenceFixtures.DOMAIN)
                .regions(failingIn(Layer.DNS, Classification.DNS_FAILURE, "eu-west-1")).pack();

        AgentReport report = analyze(IssueType.DNS_FAILURE, "DNS: shop.example.com does not exist (NXDOMAIN)", evidence);

        assertThat(report.markdown()).contains("does not resolve from eu-west-1 only: a routing record")
                .contains("set_identifier europe, geolocation EU");
        assertOnlyManual(planOf(report), "routing records of shop.example.com for the locations of eu-west-1");
    }

    @Test
    void tcpTlsAndHttpFailingFromSomeRegions_areThePathTheEdgeOrARegionalRule() {
        assertThat(analyze(IssueType.TCP_FAILURE, "TCP: connection timed out",
                new EvidenceFixtures().regions(failingIn(Layer.TCP, Classification.TCP_FAILURE, "ap-southeast-2"))
                        .pack()).markdown())
                .contains("shop.example.com cannot be reached from ap-southeast-2 only");
        AgentReport tls = analyze(IssueType.TLS_ERROR, "TLS: handshake failed",
                new EvidenceFixtures().regions(failingIn(Layer.TLS, Classification.TLS_ERROR, "eu-west-1",
                        "ap-southeast-2")).pack());
        assertThat(tls.markdown()).contains("TLS to shop.example.com fails from ap-southeast-2, eu-west-1 only");
        assertOnlyManual(planOf(tls), "Compare the certificates served to ap-southeast-2, eu-west-1");
        assertThat(analyze(IssueType.HTTP_ERROR, "HTTP: https://shop.example.com/ answered 403",
                new EvidenceFixtures().regions(failingIn(Layer.HTTP, Classification.HTTP_ERROR, "eu-west-1")).pack())
                .markdown()).contains("shop.example.com answers errors to eu-west-1 only")
                .contains("geographic restriction");
    }

    @Test
    void tlsFailingFromEveryRegion_isTheCertificate_andTheSplitConfirmsIt() {
        EvidencePack evidence = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .certificate("SUCCESS", 200, "www.example.com")
                .regions(failingIn(Layer.TLS, Classification.TLS_ERROR, "ap-southeast-2", "eu-west-1", "us-east-1"))
                .pack();

        AgentReport report = analyze(IssueType.TLS_ERROR, "TLS: the certificate does not cover shop.example.com",
                evidence);

        assertThat(report.markdown()).contains("Failing from every region that reported (ap-southeast-2, eu-west-1, "
                + "us-east-1; TLS_ERROR): the site itself, not a path to it")
                .doesNotContain("only: a resolver");
    }

    @Test
    void aMissingRecord_stillExplainsAFailureSomeRegionsSee_andTheSplitIsNoted() {
        EvidencePack evidence = new EvidenceFixtures().zone().noRecord()
                .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, ORIGIN, "E3OAC")
                .regions(failingIn(Layer.DNS, Classification.DNS_FAILURE, "eu-west-1")).pack();

        AgentReport report = analyze(IssueType.DNS_FAILURE, "DNS: shop.example.com does not exist (NXDOMAIN)", evidence);

        Plan plan = planOf(report);
        assertThat(plan.steps().getFirst().action()).isInstanceOf(Action.UpsertRecord.class);
        assertThat(report.markdown()).contains("Failing from eu-west-1 only; ap-southeast-2, us-east-1 still reach it");
    }

    @Test
    void withOneRegionOrNoSplit_theDiagnosisIsUnchanged() {
        EvidencePack without = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, ORIGIN, "E3OAC").pack();

        AgentReport report = analyze(IssueType.HTTP_ERROR, "HTTP: https://shop.example.com/ answered 403", without);

        assertThat(report.markdown()).doesNotContain("region");
    }

    /** Three regions: the given ones failing at {@code layer}, the others healthy. */
    private static RegionalSplit failingIn(Layer layer, Classification classification, String... failing) {
        List<String> regions = List.of("ap-southeast-2", "eu-west-1", "us-east-1");
        List<String> down = List.of(failing);
        return new RegionalSplit("https://shop.example.com/", 2, regions.stream().map(r -> down.contains(r)
                ? new RegionResult(r, Seen.FAILING, layer, classification, 40L, AT)
                : new RegionResult(r, Seen.HEALTHY, null, Classification.HEALTHY, 90L, AT)).toList());
    }
}
