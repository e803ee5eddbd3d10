package dev.cloudops.config;

import dev.cloudops.metrics.emf.EmfMetrics;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where every function reports: the CloudWatch namespace of its metrics ({@code METRICS_NAMESPACE},
 * default {@code CloudopsAgent}), the CloudWatch Logs group of the audit log ({@code AUDIT_LOG_GROUP},
 * e.g. {@code /aws/cloudops-agent/audit}; unset, no audit log is written beyond the alert records), and the
 * X-Ray daemon traces go to ({@code AWS_XRAY_DAEMON_ADDRESS}, {@code host:port}, set by Lambda itself;
 * unset, nothing is traced).
 */
public record TelemetrySettings(String metricsNamespace, Optional<String> auditLogGroup,
        Optional<String> xrayDaemonAddress) {

    private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9_./#-]{1,512}");
    private static final Pattern DAEMON = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");

    public static TelemetrySettings read(ConfigReader reader) {
        String namespace = reader.optional("METRICS_NAMESPACE").orElse(EmfMetrics.DEFAULT_NAMESPACE);
        if (!EmfMetrics.NAMESPACE.matcher(namespace).matches()) {
            reader.problem("METRICS_NAMESPACE must be 1-255 of A-Z a-z 0-9 space . _ / # : - and not start with AWS/, was '"
                    + namespace + "'");
        }
        Optional<String> group = reader.optional("AUDIT_LOG_GROUP");
        if (group.isPresent() && !LOG_GROUP.matcher(group.get()).matches()) {
            reader.problem("AUDIT_LOG_GROUP must be a log group name (1-512 of A-Z a-z 0-9 _ . / # -), was '"
                    + group.get() + "'");
        }
        Optional<String> daemon = reader.optional("AWS_XRAY_DAEMON_ADDRESS");
        if (daemon.isPresent() && !DAEMON.matcher(daemon.get()).matches()) {
            reader.problem("AWS_XRAY_DAEMON_ADDRESS must be host:port, was '" + daemon.get() + "'");
        }
        return new TelemetrySettings(namespace, group, daemon);
    }
}
