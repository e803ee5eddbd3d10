package dev.cloudops.local.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceCollector;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.probe.CertificateInfo;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Evidence when no AWS account is configured: what a fresh probe of the target sees, layer by layer
 * (DNS answers, the certificate, the HTTP answer and its CDN headers). The rule engine reads these the
 * way it reads the account's records.
 */
public final class ProbeEvidenceCollector implements EvidenceCollector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Prober prober;
    private final BiFunction<String, String, URI> targetOf;
    private final Clock clock;

    /** {@code targetOf} gives the URL to probe for an alert id and host (the alert's own target). */
    public ProbeEvidenceCollector(Prober prober, BiFunction<String, String, URI> targetOf, Clock clock) {
        this.prober = prober;
        this.targetOf = targetOf;
        this.clock = clock;
    }

    @Override
    public EvidencePack collect(String alertId, String host) {
        URI url = targetOf.apply(alertId, host);
        List<EvidenceItem> items = new ArrayList<>();
        ProbeResult result;
        try {
            result = prober.probe(ProbeSpec.of(url));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            items.add(new EvidenceItem("E1", "probe:" + url, host, clock.instant(), EvidenceStatus.ERROR,
                    "the probe was interrupted", null));
            return new EvidencePack(alertId, host, clock.instant(), items);
        }
        return new EvidencePack(alertId, host, clock.instant(), items(result, host));
    }

    /** The items a probe result makes: its verdict, then DNS, TLS and HTTP as far as the probe got. */
    public static List<EvidenceItem> items(ProbeResult result, String host) {
        List<EvidenceItem> items = new ArrayList<>();
        ObjectNode verdict = JSON.createObjectNode().put("url", result.url().toString())
                .put("classification", result.classification().name())
                .put("failed_layer", result.failedLayer() == null ? null : result.failedLayer().name())
                .put("elapsed_ms", result.elapsed().toMillis());
        items.add(item(items, "probe:Verdict", host, result, result.classification() + ": " + result.details(), verdict));
        if (!result.dnsAnswers().isEmpty()) {
            ObjectNode dns = JSON.createObjectNode();
            result.dnsAnswers().forEach(a -> dns.withArray("answers").add(a));
            items.add(item(items, "probe:DNS", host, result, "DNS answers: " + String.join(", ", result.dnsAnswers()), dns));
        }
        CertificateInfo c = result.certificate();
        if (c != null) {
            ObjectNode tls = JSON.createObjectNode().put("subject", c.subject()).put("issuer", c.issuer())
                    .put("not_after", String.valueOf(c.notAfter())).put("days_left", c.daysLeft())
                    .put("covers_host", c.coversHost()).put("trust_problem", c.trustProblem());
            c.names().forEach(n -> tls.withArray("names").add(n));
            items.add(item(items, "probe:TLS", host, result, "certificate " + c.subject() + " by " + c.issuer()
                    + ", " + Timestamps.days(c.daysLeft()) + " left"
                    + (c.trustProblem() == null ? "" : ", " + c.trustProblem()), tls));
        }
        if (result.http() != null) {
            ObjectNode http = JSON.createObjectNode().put("status", result.http().status())
                    .put("latency_ms", result.http().latency().toMillis());
            result.http().headers().forEach((k, v) -> http.with("headers").put(k, v));
            items.add(item(items, "probe:HTTP", host, result, "HTTP " + result.http().status() + " in "
                    + result.http().latency().toMillis() + " ms", http));
        }
        return items;
    }

    private static EvidenceItem item(List<EvidenceItem> before, String source, String host, ProbeResult result,
            String summary, ObjectNode data) {
        return new EvidenceItem("E" + (before.size() + 1), source, host, result.checkedAt(), EvidenceStatus.OK, summary,
                data);
    }
}
