package dev.cloudops.approval;

import dev.cloudops.alert.Severity;
import dev.cloudops.approval.auth.AuthMode;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.config.ConfigReader;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.config.StorageSettings;
import dev.cloudops.config.TelemetrySettings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The approval function's configuration, parsed once from its environment: the stores, the execute
 * topic ({@code EXECUTE_TOPIC_ARN}), how people sign in ({@code AUTH_MODE}: {@code link} or
 * {@code cognito}), the review-link key ({@code REVIEW_SIGNING_SECRET_ARN}), the decision window, the
 * role table ({@code APPROVAL_ROLES}, e.g. {@code critical=admin,ops-lead;low=*}), the severities a
 * link holder may decide ({@code LINK_MODE_SEVERITIES}, e.g. {@code low,medium} or {@code none}), and
 * where decision notifications go, the metrics namespace and the audit log group.
 */
public record ApprovalConfig(
        AwsSettings aws,
        StorageSettings storage,
        String executeTopicArn,
        AuthMode authMode,
        String signingKeySecretArn,
        Duration decisionWindow,
        Duration csrfValidity,
        ApprovalPolicy policy,
        NotificationSettings notifications,
        TelemetrySettings telemetry) {

    private static final Pattern TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");
    private static final Pattern GROUP = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]{1,128}");

    public static ApprovalConfig from(Map<String, String> env) {
        ConfigReader reader = new ConfigReader(env);
        AwsSettings aws = AwsSettings.read(reader);
        StorageSettings storage = StorageSettings.read(reader);
        String topic = reader.required("EXECUTE_TOPIC_ARN", TOPIC, "the ARN of the execute SNS topic");
        AuthMode mode = AuthMode.LINK;
        Optional<String> modeText = reader.optional("AUTH_MODE");
        if (modeText.isPresent()) {
            try {
                mode = AuthMode.valueOf(modeText.get().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                reader.problem("AUTH_MODE must be 'link' or 'cognito', was '" + modeText.get() + "'");
            }
        }
        Duration window = reader.duration("DECISION_WINDOW", Duration.ofHours(24), Duration.ofMinutes(5),
                Duration.ofDays(6));
        Duration csrf = reader.duration("CSRF_TOKEN_TTL", Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofDays(1));
        ApprovalPolicy defaults = ApprovalPolicy.defaults();
        Map<Severity, Set<String>> roles = reader.optional("APPROVAL_ROLES").map(v -> roles(v, reader))
                .orElse(defaults.roles());
        Set<Severity> linkMode = reader.optional("LINK_MODE_SEVERITIES").map(v -> severities(v, reader))
                .orElse(defaults.linkModeSeverities());
        NotificationSettings notifications = NotificationSettings.read(reader);
        if (notifications.signingKeySecretArn().isEmpty() && env.get("REVIEW_SIGNING_SECRET_ARN") == null) {
            reader.problem("REVIEW_SIGNING_SECRET_ARN is required: review links and form tokens are signed with it");
        }
        TelemetrySettings telemetry = TelemetrySettings.read(reader);
        reader.check();
        return new ApprovalConfig(aws, storage, topic, mode, notifications.signingKeySecretArn().orElseThrow(), window,
                csrf, new ApprovalPolicy(roles, linkMode), notifications, telemetry);
    }

    /** {@code critical=admin,ops-lead;high=...;low=*}: every severity must be named; {@code *} means anyone signed in. */
    private static Map<Severity, Set<String>> roles(String text, ConfigReader reader) {
        Map<Severity, Set<String>> roles = new EnumMap<>(Severity.class);
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            Severity severity = eq < 0 ? null : severity(entry.substring(0, eq), "APPROVAL_ROLES", reader);
            if (eq < 0) {
                reader.problem("APPROVAL_ROLES: '" + entry.strip() + "' is not severity=group,group");
                continue;
            }
            if (severity == null) {
                continue;
            }
            Set<String> groups = new LinkedHashSet<>();
            for (String g : entry.substring(eq + 1).split(",")) {
                String name = g.strip();
                if (name.equals("*")) {
                    continue;
                }
                if (!GROUP.matcher(name).matches()) {
                    reader.problem("APPROVAL_ROLES: '" + name + "' is not a group name (for " + severity + ")");
                }
                groups.add(name);
            }
            if (roles.put(severity, groups) != null) {
                reader.problem("APPROVAL_ROLES names " + severity.name().toLowerCase(Locale.ROOT) + " twice");
            }
        }
        for (Severity s : Severity.values()) {
            if (!roles.containsKey(s)) {
                reader.problem("APPROVAL_ROLES must name every severity; " + s.name().toLowerCase(Locale.ROOT)
                        + " is missing (use " + s.name().toLowerCase(Locale.ROOT) + "=* for anyone signed in)");
            }
        }
        return roles;
    }

    private static Set<Severity> severities(String text, ConfigReader reader) {
        Set<Severity> out = EnumSet.noneOf(Severity.class);
        if (text.strip().equalsIgnoreCase("none")) {
            return out;
        }
        for (String part : text.split(",")) {
            Severity s = severity(part, "LINK_MODE_SEVERITIES", reader);
            if (s == Severity.CRITICAL) {
                reader.problem("LINK_MODE_SEVERITIES may not include critical: critical alerts need two verified people");
            } else if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Severity severity(String text, String variable, ConfigReader reader) {
        try {
            return Severity.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            reader.problem(variable + ": '" + text.strip() + "' is not a severity (critical, high, medium, low)");
            return null;
        }
    }
}
