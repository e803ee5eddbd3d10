package dev.cloudops.local.replay;

import dev.cloudops.agent.Incident;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.agent.replay.RecordedIncident;
import dev.cloudops.agent.replay.Replay;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import dev.cloudops.local.demo.DemoResolver;
import dev.cloudops.local.demo.DemoSite;
import dev.cloudops.local.evidence.ProbeEvidenceCollector;
import dev.cloudops.probe.CertificateInfo;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.HttpObservation;
import dev.cloudops.probe.Layer;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import dev.cloudops.testing.EvidenceFixtures;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the replay corpus's inputs (incident.json, evidence.json, model-answer.md) and, for incidents that have none
 * yet, records expected.json with today's code. It is a tool, not a check: its name is outside the test includes
 * ({@code *Test}, {@code *IT}), so {@code mvn verify} never runs it, and it does nothing without its property. Run it
 * from the repository root with
 * {@code scripts/jdk21 ./mvnw -B -pl local -am verify -Dtest=ReplayCorpusGenerator
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dreplay.corpus.generate=src/test/resources/replay-corpus} (the path is relative to the local module). It skips
 * every incident whose directory already holds an incident.json, so committed incidents and their recorded outcomes
 * stay as they were recorded; a new scenario added here gets its directory and its expected.json.
 *
 * <p>The sources: the rule tests' fixture scenarios ({@code RuleBasedRemediationAgentTest}, {@code RegionalRulesTest}),
 * synthetic probe-only results for every probe classification, the demo site's two problems probed live, and
 * recorded model answers (one the plan checks accept, two they refuse).
 */
@EnabledIfSystemProperty(named = "replay.corpus.generate", matches = ".+")
class ReplayCorpusGenerator {

    private static final String HOST = "shop.example.com";
    private static final String URL = "https://shop.example.com/";
    private static final String S3_ORIGIN = "shop-site.s3.eu-west-1.amazonaws.com";
    private static final Instant DETECTED = Instant.parse("2026-11-27T02:29:00Z");
    private static final Instant CHECKED = Instant.parse("2026-11-27T02:28:30Z");

    @TempDir
    Path temp;

    private final List<RecordedIncident> incidents = new ArrayList<>();
    private int serial;

    @Test
    void generate() throws Exception {
        Path root = Path.of(System.getProperty("replay.corpus.generate"));
        fixtureScenarios();
        regionalScenarios();
        probeOnly();
        modelAnswers();
        demoSite();
        Replay replay = new Replay();
        for (RecordedIncident incident : incidents) {
            Path dir = root.resolve(incident.name());
            RecordedIncident placed = new RecordedIncident(dir, incident.incident(), incident.evidence(),
                    incident.modelAnswer(), null);
            if (Files.exists(dir.resolve(RecordedIncident.INCIDENT))) {
                continue;
            }
            placed.writeInputs();
            if (!Files.exists(dir.resolve(RecordedIncident.EXPECTED))) {
                RecordedIncident.writeExpected(dir, replay.run(RecordedIncident.read(dir)));
            }
        }
    }

    private void fixtureScenarios() {
        add("missing-record", IssueType.DNS_FAILURE, Severity.HIGH, "DNS: shop.example.com does not exist (NXDOMAIN)",
                new EvidenceFixtures().zone().noRecord()
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC").pack());
        add("wrong-alias", IssueType.TLS_ERROR, Severity.HIGH, "TLS: the certificate does not cover shop.example.com",
                new EvidenceFixtures().zone().aliasRecord("d999999stale00.cloudfront.net")
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC").pack());
        add("alias-to-deleted-distribution", IssueType.HTTP_ERROR, Severity.HIGH,
                "HTTP: https://shop.example.com/ answered 403",
                new EvidenceFixtures().zone().aliasRecord("d999999stale00.cloudfront.net").noDistribution().pack());
        add("disabled-distribution", IssueType.HTTP_ERROR, Severity.CRITICAL,
                "HTTP: https://shop.example.com/ answered 403",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC").pack());
        add("deploying-distribution", IssueType.HTTP_ERROR, Severity.MEDIUM, "HTTP: answered 502",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(false, "InProgress", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC").pack());
        add("renewal-blocked", IssueType.CERT_EXPIRING, Severity.HIGH, "TLS: the certificate expires in 5 days",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC")
                        .certificate("PENDING_VALIDATION", 5, HOST).pack());
        add("cert-not-covering-host", IssueType.TLS_ERROR, Severity.HIGH,
                "TLS: the certificate does not cover shop.example.com (it covers: www.example.com)",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC")
                        .certificate("SUCCESS", 200, "www.example.com", "example.com").pack());
        add("origin-access-denied", IssueType.HTTP_ERROR, Severity.HIGH,
                "HTTP: https://shop.example.com/ answered 403 (expected 200)",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OACEXAMPLE00")
                        .bucketPolicyNotPublic().pack());
        add("errors-after-change", IssueType.HTTP_ERROR, Severity.HIGH, "HTTP: https://shop.example.com/ answered 502",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, "origin.example.com", "")
                        .quietTrail(EvidenceFixtures.ZONE)
                        .change(EvidenceFixtures.DISTRIBUTION, "UpdateDistribution", "alice").pack());
        add("timeout-no-fault", IssueType.TIMEOUT, Severity.MEDIUM, "HTTP: no response within 10 s",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, "origin.example.com", "")
                        .quietTrail(EvidenceFixtures.ZONE).pack());
        add("undiagnosed-reads-denied", IssueType.CONTENT_MISMATCH, Severity.MEDIUM,
                "HTTP: the body does not contain 'Welcome'",
                new EvidenceFixtures().denied("route53:ListHostedZonesByName").denied("cloudfront:ListDistributions")
                        .pack());
    }

    private void regionalScenarios() {
        add("regional-dns-resolver", IssueType.DNS_FAILURE, Severity.HIGH,
                "DNS: shop.example.com does not exist (NXDOMAIN)",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC")
                        .regions(failingIn(Layer.DNS, Classification.DNS_FAILURE, "eu-west-1")).pack());
        add("regional-geolocation-record", IssueType.DNS_FAILURE, Severity.HIGH,
                "DNS: shop.example.com does not exist (NXDOMAIN)",
                new EvidenceFixtures().zone().geolocationRecords(EvidenceFixtures.DOMAIN)
                        .regions(failingIn(Layer.DNS, Classification.DNS_FAILURE, "eu-west-1")).pack());
        add("regional-tcp-path", IssueType.TCP_FAILURE, Severity.MEDIUM, "TCP: connection timed out",
                new EvidenceFixtures().regions(failingIn(Layer.TCP, Classification.TCP_FAILURE, "ap-southeast-2"))
                        .pack());
        add("regional-tls-everywhere", IssueType.TLS_ERROR, Severity.HIGH,
                "TLS: the certificate does not cover shop.example.com",
                new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC")
                        .certificate("SUCCESS", 200, "www.example.com")
                        .regions(failingIn(Layer.TLS, Classification.TLS_ERROR, "ap-southeast-2", "eu-west-1",
                                "us-east-1")).pack());
        add("regional-missing-record", IssueType.DNS_FAILURE, Severity.HIGH,
                "DNS: shop.example.com does not exist (NXDOMAIN)",
                new EvidenceFixtures().zone().noRecord()
                        .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC")
                        .regions(failingIn(Layer.DNS, Classification.DNS_FAILURE, "eu-west-1")).pack());
    }

    /** One synthetic probe result per classification, evidence as the local runner collects it (probe only). */
    private void probeOnly() {
        probe("probe-dns-nxdomain", Classification.DNS_FAILURE, Layer.DNS,
                "DNS: shop.example.com does not exist (NXDOMAIN) (resolver 10.0.0.2:53)", List.of(), null, null);
        probe("probe-dns-servfail", Classification.DNS_FAILURE, Layer.DNS, "DNS: the lookup of shop.example.com failed "
                + "(SERVFAIL: the zone's name servers did not answer properly or DNSSEC validation failed)",
                List.of(), null, null);
        probe("probe-dns-resolver-unreachable", Classification.DNS_FAILURE, Layer.DNS,
                "DNS: shop.example.com could not be looked up: the resolver cannot be asked (nothing answers DNS "
                        + "there: ICMP port unreachable) (resolver 127.0.0.1:5999)", List.of(), null, null);
        probe("probe-tcp-refused", Classification.TCP_FAILURE, Layer.TCP,
                "TCP: the connection to 203.0.113.10:443 was refused", List.of("203.0.113.10"), null, null);
        probe("probe-tls-untrusted", Classification.TLS_ERROR, Layer.TLS,
                "TLS: the certificate chain for shop.example.com is not trusted: self-signed, no trusted issuer",
                List.of("203.0.113.10"), certificate(40, "self-signed, no trusted issuer", true), null);
        probe("probe-tls-not-covering", Classification.TLS_ERROR, Layer.TLS,
                "TLS: the certificate does not cover shop.example.com (it covers: www.example.com)",
                List.of("203.0.113.10"), certificate(40, null, false), null);
        probe("probe-cert-expiring", Classification.CERT_EXPIRING, Layer.TLS,
                "TLS: the certificate for shop.example.com expires on 2026-11-30 02:00 UTC (in 2 days; warning at 14)",
                List.of("203.0.113.10"), certificate(2, null, true), http(200, 85, Map.of()));
        probe("probe-cert-expired", Classification.CERT_EXPIRED, Layer.TLS,
                "TLS: the certificate for shop.example.com expired on 2026-11-24 02:00 UTC (3 days ago)",
                List.of("203.0.113.10"), certificate(-3, null, true), null);
        probe("probe-http-500", Classification.HTTP_ERROR, Layer.HTTP,
                "HTTP: https://shop.example.com/ answered 500 (expected 200-399), x-cache: Error from cloudfront",
                List.of("203.0.113.10"), certificate(60, null, true),
                http(500, 40, Map.of("x-cache", "Error from cloudfront", "server", "CloudFront")));
        probe("probe-timeout", Classification.TIMEOUT, Layer.HTTP,
                "HTTP: no response from https://shop.example.com/ within 10 s", List.of("203.0.113.10"),
                certificate(60, null, true), null);
        probe("probe-performance", Classification.PERFORMANCE, Layer.HTTP,
                "HTTP: https://shop.example.com/ answered in 4200 ms, above the 2000 ms threshold",
                List.of("203.0.113.10"), certificate(60, null, true), http(200, 4200, Map.of("x-cache", "Miss from cloudfront")));
        probe("probe-content-mismatch", Classification.CONTENT_MISMATCH, Layer.HTTP,
                "HTTP: the body of https://shop.example.com/ does not contain 'Welcome' (1534 bytes read)",
                List.of("203.0.113.10"), certificate(60, null, true), http(200, 90, Map.of("x-cache", "Hit from cloudfront")));
    }

    /** Recorded Bedrock answers: one whose plan the checks accept, and two they refuse (the rule engine answers). */
    private void modelAnswers() {
        EvidencePack disabled = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, S3_ORIGIN, "E3OAC").pack();
        Incident incident = incident("model-answer-accepted", IssueType.HTTP_ERROR, Severity.CRITICAL,
                "HTTP: https://shop.example.com/ answered 403");
        String rulesPlan = ReportReader.jsonBlocks(new RuleBasedRemediationAgent().analyze(incident, pack(incident,
                disabled)).markdown()).getFirst().replace("\"summary\" : \"", "\"summary\" : \"Agent: ");
        String accepted = modelAnswer("The distribution serving shop.example.com was disabled",
                "Distribution " + EvidenceFixtures.DISTRIBUTION + " is disabled (E3), so CloudFront answers 403 for "
                        + "every request to shop.example.com although the alias record (E2) points at it.",
                "| 1 | Distribution " + EvidenceFixtures.DISTRIBUTION + " has enabled=false | E3 | critical |",
                rulesPlan);
        addIncident(incident, disabled, accepted);

        Incident refused = incident("model-answer-refused-action", IssueType.HTTP_ERROR, Severity.HIGH,
                "HTTP: https://shop.example.com/ answered 403");
        addIncident(refused, disabled, modelAnswer("The hosted zone is broken",
                "The zone must be recreated.", "| 1 | The zone looks wrong | E1 | high |",
                "{\"version\":1,\"steps\":[{\"id\":\"S1\",\"action\":\"route53.delete_hosted_zone\",\"parameters\":{}}]}"));

        Incident missing = incident("model-answer-cites-missing-evidence", IssueType.HTTP_ERROR, Severity.HIGH,
                "HTTP: https://shop.example.com/ answered 403");
        addIncident(missing, disabled, modelAnswer("The distribution was disabled",
                "Distribution " + EvidenceFixtures.DISTRIBUTION + " is disabled.",
                "| 1 | enabled=false | E9 | critical |", rulesPlan.replace("\"E3\"", "\"E9\"")));
    }

    private static String modelAnswer(String title, String rootCause, String finding, String planJson) {
        return "# HTTP_ERROR on shop.example.com\n\n## Executive Summary\n\n" + title + ". " + rootCause
                + " Approving the plan below re-enables it.\n\n## Detailed Investigation\n\nI read the alias record "
                + "and the distribution's configuration.\n\n## Root Cause\n\n" + rootCause
                + "\n\n## Critical Findings\n\n| # | Finding | Evidence | Severity |\n|---|---|---|---|\n" + finding
                + "\n\n## Immediate Actions\n\n1. Approve the plan.\n\n## Prevention\n\n- Alarm on distribution "
                + "configuration changes.\n\n## Remediation Plan\n\n```json\n" + planJson + "\n```\n";
    }

    /** The demo site's two problems, probed live the way the local runner's three probe sites see them. */
    private void demoSite() throws Exception {
        try (DemoSite site = DemoSite.start(temp); DemoResolver resolver = DemoResolver.working()) {
            Set<TrustAnchor> anchors = new HashSet<>(ProbeSettings.defaultTrustAnchors());
            try (InputStream in = Files.newInputStream(site.authority())) {
                anchors.add(new TrustAnchor((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(in), null));
            }
            // The shop is probed by name, through the demo's resolver.
            Prober prober = Prober.create(new ProbeSettings(List.of(resolver.endpoint()),
                    Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5), 1 << 16, anchors),
                    Clock.systemUTC());
            demo("demo-shop-cert-expiring", prober.probe(ProbeSpec.of(site.shopUrl())), Severity.MEDIUM);
            demo("demo-api-503", prober.probe(ProbeSpec.of(site.apiUrl())), Severity.LOW);
        }
    }

    private void demo(String name, ProbeResult result, Severity severity) {
        String host = result.url().getHost();
        Incident incident = new Incident(alertId(), result.url().toString(), host,
                result.classification().issueType(), severity, result.details(), result.checkedAt(), 1);
        EvidencePack pack = new EvidencePack(incident.alertId(), host, result.checkedAt(),
                ProbeEvidenceCollector.items(result, host));
        RegionalSplit split = new RegionalSplit(result.url().toString(), 2, List.of("site-a", "site-b", "site-c")
                .stream().map(s -> new RegionResult(s, Seen.FAILING, result.failedLayer(), result.classification(),
                        result.elapsed().toMillis(), result.checkedAt())).toList());
        incidents.add(new RecordedIncident(Path.of(name), incident, split.addTo(pack), null, null));
    }

    private void probe(String name, Classification classification, Layer layer, String details, List<String> dns,
            CertificateInfo certificate, HttpObservation http) {
        ProbeResult result = new ProbeResult(URI.create(URL), classification, layer, details, CHECKED,
                Duration.ofMillis(http == null ? 120 : http.latency().toMillis() + 60), dns, certificate, http);
        Incident incident = incident(name, classification.issueType(), Severity.MEDIUM, details);
        addIncident(incident, new EvidencePack(incident.alertId(), HOST, CHECKED,
                ProbeEvidenceCollector.items(result, HOST)), null);
    }

    private static CertificateInfo certificate(long daysLeft, String trustProblem, boolean covers) {
        Instant notAfter = CHECKED.plus(Duration.ofDays(daysLeft));
        return new CertificateInfo(covers ? "CN=shop.example.com" : "CN=www.example.com", trustProblem == null
                ? "CN=Amazon RSA 2048 M02,O=Amazon,C=US" : "CN=shop.example.com",
                List.of(covers ? HOST : "www.example.com"), notAfter.minus(Duration.ofDays(395)), notAfter, daysLeft,
                trustProblem == null ? 3 : 1, "TLSv1.3", trustProblem, covers);
    }

    private static HttpObservation http(int status, long latencyMs, Map<String, String> headers) {
        return new HttpObservation(status, Duration.ofMillis(latencyMs), headers, URI.create(URL), List.of());
    }

    private static RegionalSplit failingIn(Layer layer, Classification classification, String... failing) {
        Instant at = Instant.parse("2026-11-27T02:28:00Z");
        List<String> down = List.of(failing);
        return new RegionalSplit(URL, 2, List.of("ap-southeast-2", "eu-west-1", "us-east-1").stream()
                .map(r -> down.contains(r) ? new RegionResult(r, Seen.FAILING, layer, classification, 40L, at)
                        : new RegionResult(r, Seen.HEALTHY, null, Classification.HEALTHY, 90L, at)).toList());
    }

    private void add(String name, IssueType type, Severity severity, String details, EvidencePack evidence) {
        Incident incident = incident(name, type, severity, details);
        addIncident(incident, pack(incident, evidence), null);
    }

    private void addIncident(Incident incident, EvidencePack evidence, String modelAnswer) {
        incidents.add(new RecordedIncident(Path.of(names.getLast()), incident, pack(incident, evidence), modelAnswer,
                null));
    }

    private final List<String> names = new ArrayList<>();

    private Incident incident(String name, IssueType type, Severity severity, String details) {
        names.add(name);
        return new Incident(alertId(), URL, HOST, type, severity, details, DETECTED, 2);
    }

    private String alertId() {
        return "01JREPLAY" + String.format("%017d", ++serial);
    }

    /** The pack under the incident's own alert id, as the pipeline stores it. */
    private static EvidencePack pack(Incident incident, EvidencePack evidence) {
        return new EvidencePack(incident.alertId(), evidence.host(), evidence.collectedAt(), evidence.items());
    }
}
