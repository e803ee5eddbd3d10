package dev.cloudops.execution;

import dev.cloudops.CloudopsException;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.config.ConfigReader;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.config.StorageSettings;
import dev.cloudops.config.TelemetrySettings;
import dev.cloudops.execution.precheck.ExecutionWindows;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.probe.ProbeSettings;
import java.net.InetSocketAddress;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The execution function's configuration, parsed once from its environment: stores, limits
 * ({@code MAX_EXECUTIONS_PER_HOUR}, {@code MAX_CONCURRENT_EXECUTIONS}), windows ({@code EXECUTION_WINDOWS},
 * {@code EXECUTION_WINDOW_ZONE}), timings, the executor role whose
 * session, scoped to the approved plan, makes every change ({@code EXECUTOR_ROLE_ARN}; unset, the function's own
 * credentials make them, as in the local runner), the mode
 * ({@code EXECUTION_MODE}: {@code plan} or {@code agent} with {@code BEDROCK_AGENT_ID} and
 * {@code BEDROCK_AGENT_ALIAS_ID}), the orchestration ({@code ORCHESTRATION}: execute messages, or the alert
 * workflow's tasks), notifications, and where closed alerts are archived ({@code AUDIT_ARCHIVE_BUCKET}: the
 * template's Object Lock bucket; unset, the archive goes to the artifacts bucket as before that bucket existed).
 */
public record ExecutionConfig(
        AwsSettings aws,
        StorageSettings storage,
        String controlTable,
        int maxPerHour,
        int maxConcurrent,
        Duration lockFor,
        Duration approvalWindow,
        Duration retryAfter,
        ExecutionWindows windows,
        Optional<SessionScope> executor,
        Duration verifyDeadline,
        Duration verifyInterval,
        Duration route53SyncDeadline,
        Duration timeReserve,
        Duration stuckAfter,
        ApprovalRules approvalRules,
        List<InetSocketAddress> resolvers,
        Mode mode,
        Optional<Agent> agent,
        Orchestration orchestration,
        NotificationSettings notifications,
        TelemetrySettings telemetry,
        Optional<String> auditArchiveBucket) {

    /** How steps are carried out. */
    public enum Mode { PLAN, AGENT }

    /** The Bedrock agent of agent mode. */
    public record Agent(String agentId, String aliasId, Duration timeout, int maxRounds) {
    }

    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public static ExecutionConfig from(Map<String, String> env) {
        ConfigReader reader = new ConfigReader(env);
        AwsSettings aws = AwsSettings.read(reader);
        StorageSettings storage = StorageSettings.read(reader);
        String control = reader.required("CONTROL_TABLE", TABLE, "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
        Integer perHour = reader.integer("MAX_EXECUTIONS_PER_HOUR", 10, 1, 1000);
        Integer concurrent = reader.integer("MAX_CONCURRENT_EXECUTIONS", 3, 1, 50);
        Duration lockFor = reader.duration("LOCK_TTL", Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofHours(2));
        Duration approvalWindow = reader.duration("APPROVAL_WINDOW", Duration.ofHours(24), Duration.ofMinutes(5),
                Duration.ofDays(7));
        Duration retryAfter = reader.duration("RETRY_AFTER", Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofHours(6));
        ZoneId zone = ZoneId.of("UTC");
        Optional<String> zoneText = reader.optional("EXECUTION_WINDOW_ZONE");
        if (zoneText.isPresent()) {
            try {
                zone = ZoneId.of(zoneText.get().strip());
            } catch (DateTimeException e) {
                reader.problem("EXECUTION_WINDOW_ZONE must be a time zone such as Europe/Paris, was '"
                        + zoneText.get() + "'");
            }
        }
        List<String> windowProblems = new ArrayList<>();
        ExecutionWindows windows = ExecutionWindows.parse(reader.optional("EXECUTION_WINDOWS").orElse(""), zone,
                windowProblems);
        windowProblems.forEach(p -> reader.problem("EXECUTION_WINDOWS: " + p));
        Optional<SessionScope> executor = SessionScope.read(reader);
        Duration verifyDeadline = reader.duration("VERIFY_DEADLINE", Duration.ofMinutes(3), Duration.ofSeconds(1),
                Duration.ofMinutes(12));
        Duration verifyInterval = reader.duration("VERIFY_INTERVAL", Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofMinutes(5));
        Duration sync = reader.duration("ROUTE53_SYNC_DEADLINE", Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofMinutes(12));
        // A step may take the whole sync deadline; then a rollback and the record need a minute.
        Duration reserve = reader.duration("EXECUTION_TIME_RESERVE", sync.plusSeconds(60), Duration.ofSeconds(10),
                Duration.ofMinutes(14));
        Duration stuckAfter = reader.duration("EXECUTION_STUCK_AFTER", Duration.ofMinutes(20), Duration.ofMinutes(16),
                Duration.ofHours(6));
        ApprovalRules approvalRules = ApprovalRules.read(reader);
        List<InetSocketAddress> resolvers = ProbeSettings.resolvers(reader);
        Mode mode = Mode.PLAN;
        Optional<String> modeText = reader.optional("EXECUTION_MODE");
        if (modeText.isPresent()) {
            try {
                mode = Mode.valueOf(modeText.get().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                reader.problem("EXECUTION_MODE must be 'plan' or 'agent', was '" + modeText.get() + "'");
            }
        }
        Optional<String> agentId = reader.optional("BEDROCK_AGENT_ID");
        Optional<String> aliasId = reader.optional("BEDROCK_AGENT_ALIAS_ID");
        Duration agentTimeout = reader.duration("AGENT_TIMEOUT", Duration.ofMinutes(5), Duration.ofSeconds(5),
                Duration.ofMinutes(12));
        Integer rounds = reader.integer("AGENT_MAX_TOOL_ROUNDS", 12, 1, 50);
        Optional<Agent> agent = Optional.empty();
        if (mode == Mode.AGENT) {
            if (agentId.isEmpty() || aliasId.isEmpty()) {
                reader.problem("EXECUTION_MODE=agent needs BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID");
            } else {
                agent = Optional.of(new Agent(agentId.get(), aliasId.get(), agentTimeout, rounds == null ? 12 : rounds));
            }
        }
        Orchestration orchestration = Orchestration.DIRECT;
        try {
            orchestration = Orchestration.parse(env.get("ORCHESTRATION"));
        } catch (CloudopsException e) {
            reader.problem(e.getMessage());
        }
        if (orchestration == Orchestration.STEPFUNCTIONS && verifyDeadline != null && reserve != null
                && stuckAfter != null && verifyDeadline.plus(reserve).compareTo(stuckAfter) >= 0) {
            // The verify task ends the reserve before stuckAfter; with less room than VERIFY_DEADLINE, it would
            // always be cut short.
            reader.problem("ORCHESTRATION=stepfunctions needs VERIFY_DEADLINE + EXECUTION_TIME_RESERVE ("
                    + verifyDeadline.plus(reserve).toSeconds() + " s) below EXECUTION_STUCK_AFTER ("
                    + stuckAfter.toSeconds() + " s)");
        }
        NotificationSettings notifications = NotificationSettings.read(reader);
        TelemetrySettings telemetry = TelemetrySettings.read(reader);
        Optional<String> archiveBucket = reader.optional("AUDIT_ARCHIVE_BUCKET").map(String::strip);
        if (archiveBucket.isPresent() && !BUCKET.matcher(archiveBucket.get()).matches()) {
            reader.problem("AUDIT_ARCHIVE_BUCKET must be an S3 bucket name (3-63 of a-z 0-9 . -), was '"
                    + archiveBucket.get() + "'");
        }
        reader.check();
        return new ExecutionConfig(aws, storage, control, perHour, concurrent, lockFor, approvalWindow, retryAfter,
                windows, executor, verifyDeadline, verifyInterval, sync, reserve, stuckAfter, approvalRules, resolvers, mode,
                agent, orchestration, notifications, telemetry, archiveBucket);
    }
}
