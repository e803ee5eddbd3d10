package dev.cloudops.monitor.target;

import dev.cloudops.alert.Severity;
import dev.cloudops.probe.ProbeSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One monitored URL and its thresholds: how many consecutive failures raise an alert, how many
 * successes mean it recovered, who owns it, and which CloudWatch alarms speak for it.
 */
public record Target(
        URI url,
        Set<Integer> expectedStatuses,
        Pattern bodyPattern,
        Duration latencyThreshold,
        int certWarningDays,
        boolean followRedirects,
        Severity severity,
        int failuresBeforeAlert,
        int successesBeforeRecovery,
        Map<String, String> tags,
        List<String> owners,
        List<String> alarmNames) {

    public static final Set<Integer> DEFAULT_STATUSES = Set.of(200, 201, 202, 203, 204, 205, 206);
    public static final Duration DEFAULT_LATENCY = Duration.ofSeconds(3);
    public static final int DEFAULT_CERT_WARNING_DAYS = 14;
    public static final int DEFAULT_FAILURES_BEFORE_ALERT = 2;
    public static final int DEFAULT_SUCCESSES_BEFORE_RECOVERY = 1;

    public Target {
        Objects.requireNonNull(url, "url");
        expectedStatuses = Set.copyOf(expectedStatuses);
        tags = Map.copyOf(tags);
        owners = List.copyOf(owners);
        alarmNames = List.copyOf(alarmNames);
    }

    /** A target with every setting at its default, e.g. for a manual check of an unconfigured URL. */
    public static Target withDefaults(URI url, Severity severity) {
        return new Target(url, DEFAULT_STATUSES, null, DEFAULT_LATENCY, DEFAULT_CERT_WARNING_DAYS, true, severity,
                DEFAULT_FAILURES_BEFORE_ALERT, DEFAULT_SUCCESSES_BEFORE_RECOVERY, Map.of(), List.of(), List.of());
    }

    public ProbeSpec probeSpec() {
        return new ProbeSpec(url, expectedStatuses, bodyPattern, latencyThreshold, certWarningDays, followRedirects);
    }
}
