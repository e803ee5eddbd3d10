package dev.cloudops.config;

import dev.cloudops.metrics.emf.EmfMetrics;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where every function reports: the CloudWatch namespace of its metrics ({@code METRICS_NAMESPACE},
 * default {@code CloudopsAgent}) and the CloudWatch Logs group of the audit log ({@code AUDIT_LOG_GROUP},
 * e.g. {@code /aws/cloudops-agent/audit}; unset, no audit log is written beyond the alert records).
 */
public record TelemetrySettings(String metricsNamespace, Optional<String> auditLogGroup) {

    private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9_./#-]{1,512}");

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
        return new TelemetrySettings(namespace, group);
    }
}
