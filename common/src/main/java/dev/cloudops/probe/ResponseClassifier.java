package dev.cloudops.probe;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Classifies the answer a probe finally got: the certificate's verdict, then the status, the body and
 * the latency against what the probe expects. Apart because what counts as healthy changes with the
 * probe's expectations, not with how the answer was fetched.
 */
final class ResponseClassifier {

    private static final List<String> EDGE_HEADERS =
            List.of("server", "x-cache", "x-amz-cf-id", "x-amz-cf-pop", "via", "age", "location");

    /** The headers that tell which edge or server answered, in a fixed order, those present only. */
    Map<String, String> edgeHeaders(HttpExchange.Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : EDGE_HEADERS) {
            response.first(name).ifPresent(v -> headers.put(name, v));
        }
        return headers;
    }

    /**
     * The probe's result from its recorded observation, {@code body} and {@code latency}, and the
     * certificate verdict {@code tls} (null when none was judged).
     */
    ProbeResult classify(ProbeProgress probe, CertificateJudge.Verdict tls, byte[] body, Duration latency) {
        if (tls != null && tls.failure() != null && tls.failure() != Classification.CERT_EXPIRING) {
            return probe.fail(tls.failure(), Layer.TLS, tls.details());
        }
        ProbeSpec spec = probe.spec;
        HttpObservation observation = probe.observation();
        int status = observation.status();
        URI finalUrl = observation.finalUrl();
        if (!spec.expectedStatuses().contains(status)) {
            return probe.fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: " + finalUrl + " answered " + status
                    + " (expected " + describe(spec.expectedStatuses()) + ")" + edgeSummary(observation));
        }
        if (spec.bodyPattern() != null
                && !spec.bodyPattern().matcher(new String(body, StandardCharsets.UTF_8)).find()) {
            return probe.fail(Classification.CONTENT_MISMATCH, Layer.HTTP, "HTTP: the body of " + finalUrl
                    + " does not contain '" + spec.bodyPattern().pattern() + "' (" + body.length + " bytes read)");
        }
        if (latency.compareTo(spec.latencyThreshold()) > 0) {
            return probe.fail(Classification.PERFORMANCE, Layer.HTTP, "HTTP: " + finalUrl + " answered in "
                    + ProbeIo.millis(latency) + ", above the " + ProbeIo.millis(spec.latencyThreshold()) + " threshold");
        }
        if (tls != null && tls.failure() == Classification.CERT_EXPIRING) {
            return probe.fail(Classification.CERT_EXPIRING, Layer.TLS, tls.details());
        }
        CertificateInfo certificate = probe.certificate();
        String certificateNote = certificate == null ? ""
                : ", certificate valid " + certificate.daysLeft() + " more days";
        return probe.result(Classification.HEALTHY, null, "healthy: HTTP " + status + " in "
                + ProbeIo.millis(latency) + certificateNote);
    }

    private static String edgeSummary(HttpObservation observation) {
        if (observation.headers().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(";");
        observation.headers().forEach((k, v) -> {
            if (!k.equals("location")) {
                s.append(' ').append(k).append(": ").append(v).append(',');
            }
        });
        return s.charAt(s.length() - 1) == ',' ? s.substring(0, s.length() - 1) : "";
    }

    /** Statuses as ranges, in order: {@code 200-202, 204}. */
    static String describe(Set<Integer> statuses) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer previous = null;
        for (int s : new TreeSet<>(statuses)) {
            if (previous != null && s == previous + 1) {
                previous = s;
                continue;
            }
            if (start != null) {
                parts.add(start.equals(previous) ? start.toString() : start + "-" + previous);
            }
            start = s;
            previous = s;
        }
        if (start != null) {
            parts.add(start.equals(previous) ? start.toString() : start + "-" + previous);
        }
        return String.join(", ", parts);
    }
}
