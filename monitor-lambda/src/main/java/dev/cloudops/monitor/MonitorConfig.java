package dev.cloudops.monitor;

import dev.cloudops.alert.Severity;
import dev.cloudops.CloudopsException;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.config.ConfigReader;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.config.StorageSettings;
import dev.cloudops.config.TelemetrySettings;
import dev.cloudops.monitor.investigate.CostModel;
import dev.cloudops.monitor.quorum.QuorumPolicy;
import dev.cloudops.monitor.target.InvalidTargetDocumentException;
import dev.cloudops.monitor.target.TargetDocument;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.probe.ProbeSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The monitor function's configuration, parsed once from its environment. Exactly one of
 * {@code TARGETS} (the document inline), {@code TARGETS_S3_URI} ({@code s3://bucket/key}) or
 * {@code TARGETS_SSM_PARAMETER} names the target document.
 *
 * @param aws where the AWS clients point: the stores' region, {@code HOME_REGION} when set, else {@code AWS_REGION}
 * @param probeRegion the region this monitor probes from ({@code PROBE_REGION}, by default {@code AWS_REGION})
 * @param quorum how many of the probe regions must see a failure for it to become an alert ({@code QUORUM} of
 *     {@code PROBE_REGIONS}, within {@code QUORUM_WINDOW}); by default 1 of this region alone, today's behaviour
 * @param regionalAlertAfter how long a failure from too few regions lasts before a LOW regional-reachability
 *     alert ({@code REGIONAL_ALERT_AFTER}, 30 minutes by default, {@code off} for never)
 * @param executor the role plan executions assume ({@code EXECUTOR_ROLE_ARN}): a runbook's own approval names the
 *     session policy it grants, as a person's does
 * @param executeTopicArn the execute topic ({@code EXECUTE_TOPIC_ARN}): in direct orchestration, where a runbook's own
 *     approval of its plan is published; without it (and without the alert workflow) runbooks never approve by
 *     themselves
 */
public record MonitorConfig(
        AwsSettings aws,
        StorageSettings storage,
        String controlTable,
        TargetsLocation targets,
        List<InetSocketAddress> resolvers,
        Duration dnsTimeout,
        Duration connectTimeout,
        Duration requestTimeout,
        int concurrency,
        int maxOpen,
        int maxBodyBytes,
        Duration safetyMargin,
        Severity manualSeverity,
        Optional<BedrockAgent> bedrockAgent,
        Duration analysisDeadline,
        Duration decisionWindow,
        NotificationSettings notifications,
        TelemetrySettings telemetry,
        CostModel cost,
        Orchestration orchestration,
        Optional<String> alertWorkflowArn,
        String probeRegion,
        QuorumPolicy quorum,
        Optional<Duration> regionalAlertAfter,
        Optional<SessionScope> executor,
        Optional<String> executeTopicArn) {

    /** The Bedrock agent to analyse with; without one the rule engine analyses every alert. */
    public record BedrockAgent(String agentId, String aliasId, Duration timeout, int maxToolRounds) {
    }

    /** Where the target document is. */
    public sealed interface TargetsLocation {
        record Inline(String document) implements TargetsLocation {
        }

        record S3Object(String bucket, String key) implements TargetsLocation {
        }

        record SsmParameter(String name) implements TargetsLocation {
        }
    }

    /**
     * How old another region's observation may be and still count: two periods of the template's default probe
     * schedule (rate(5 minutes)), so a region whose last run was up to a period before ours still counts, and one
     * that missed two runs counts as silent rather than as seeing what it saw ten minutes ago.
     */
    static final Duration DEFAULT_QUORUM_WINDOW = Duration.ofMinutes(10);
    static final Duration DEFAULT_REGIONAL_ALERT_AFTER = Duration.ofMinutes(30);
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}");
    private static final Pattern TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");
    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.+)");

    public MonitorConfig {
        resolvers = List.copyOf(resolvers);
    }

    public static MonitorConfig from(Map<String, String> env) {
        ConfigReader reader = new ConfigReader(env);
        AwsSettings aws = AwsSettings.read(reader);
        StorageSettings storage = StorageSettings.read(reader);
        String control = reader.required("CONTROL_TABLE", TABLE, "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
        TargetsLocation targets = targets(reader);
        List<InetSocketAddress> resolvers = ProbeSettings.resolvers(reader);
        Duration dns = reader.duration("DNS_TIMEOUT", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30));
        Duration connect = reader.duration("CONNECT_TIMEOUT", Duration.ofSeconds(3), Duration.ofMillis(100),
                Duration.ofSeconds(60));
        Duration request = reader.duration("REQUEST_TIMEOUT", Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofSeconds(120));
        // Probes using the CPU at once; the others wait on their peers without a slot.
        Integer concurrency = reader.integer("PROBE_CONCURRENCY", ProbeRunner.defaultWorkSlots(), 1, 900);
        // Probes in flight at all, one socket each, below Lambda's 1,024 open files. More at once only floods
        // the sites' handshakes (measured in docs/performance.md).
        Integer maxOpen = reader.integer("PROBE_MAX_OPEN", 600, 1, 900);
        Integer body = reader.integer("MAX_BODY_BYTES", 1 << 20, 0, 16 << 20);
        Duration margin = reader.duration("TIME_MARGIN", Duration.ofSeconds(3), Duration.ZERO, Duration.ofMinutes(5));
        Severity manual = Severity.MEDIUM;
        Optional<String> severity = reader.optional("MANUAL_SEVERITY");
        if (severity.isPresent()) {
            try {
                manual = Severity.valueOf(severity.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                reader.problem("MANUAL_SEVERITY must be one of critical, high, medium, low, was '" + severity.get() + "'");
            }
        }
        Optional<BedrockAgent> agent = bedrockAgent(reader);
        Duration analysisDeadline = reader.duration("ANALYSIS_DEADLINE", Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofMinutes(14));
        Duration decisionWindow = reader.duration("DECISION_WINDOW", Duration.ofHours(24), Duration.ofMinutes(5),
                Duration.ofDays(6));
        NotificationSettings notifications = NotificationSettings.read(reader);
        TelemetrySettings telemetry = TelemetrySettings.read(reader);
        CostModel cost = cost(reader);
        Orchestration orchestration = orchestration(reader);
        Optional<String> workflow = alertWorkflow(reader, orchestration);
        String probeRegion = reader.optional("PROBE_REGION").orElse(aws.region() == null ? null : aws.region().id());
        QuorumPolicy quorum = quorum(reader, probeRegion);
        Optional<Duration> regionalAlertAfter = regionalAlertAfter(reader);
        aws = homeRegion(reader, aws);
        Optional<SessionScope> executor = SessionScope.read(reader);
        Optional<String> executeTopic = reader.optional("EXECUTE_TOPIC_ARN").isPresent()
                ? Optional.ofNullable(reader.required("EXECUTE_TOPIC_ARN", TOPIC, "the ARN of the execute SNS topic"))
                : Optional.empty();
        reader.check();
        return new MonitorConfig(aws, storage, control, targets, resolvers, dns, connect, request, concurrency, maxOpen,
                body, margin, manual, agent, analysisDeadline, decisionWindow, notifications, telemetry, cost,
                orchestration, workflow, probeRegion, quorum, regionalAlertAfter, executor, executeTopic);
    }

    /**
     * {@code REGIONAL_ALERT_AFTER}: how long a failure seen from too few regions for an alert must last before it
     * raises a LOW regional-reachability alert; {@code off} for never. By default 30 minutes, three windows' worth
     * of a region seeing what the others do not: longer than a resolver's or a route's usual hiccup.
     */
    private static Optional<Duration> regionalAlertAfter(ConfigReader reader) {
        if (reader.optional("REGIONAL_ALERT_AFTER").map(v -> v.strip().equalsIgnoreCase("off")).orElse(false)) {
            return Optional.empty();
        }
        return Optional.ofNullable(reader.duration("REGIONAL_ALERT_AFTER", DEFAULT_REGIONAL_ALERT_AFTER,
                Duration.ofMinutes(1), Duration.ofDays(7)));
    }

    /**
     * With {@code HOME_REGION} (a monitor deployed to probe from another region than its stores), every AWS client
     * goes to the home region: the Alerts and Control tables the regions share, the artifacts bucket, the topics and
     * secrets. The probe region stays this function's own ({@code AWS_REGION}) unless {@code PROBE_REGION} says else.
     */
    private static AwsSettings homeRegion(ConfigReader reader, AwsSettings aws) {
        Optional<String> home = reader.optional("HOME_REGION").map(String::strip);
        if (home.isEmpty()) {
            return aws;
        }
        if (!REGION.matcher(home.get()).matches()) {
            reader.problem("HOME_REGION must be an AWS region such as us-east-1, was '" + home.get() + "'");
            return aws;
        }
        return new AwsSettings(Region.of(home.get()), aws.endpoint(), aws.serviceEndpoints());
    }

    /**
     * Q of the probe regions within the window: {@code PROBE_REGIONS} (comma-separated, by default the probe region
     * alone), {@code QUORUM} (1 by default, at most the number of regions) and {@code QUORUM_WINDOW}; null after a
     * problem.
     */
    private static QuorumPolicy quorum(ConfigReader reader, String probeRegion) {
        Duration window = reader.duration("QUORUM_WINDOW", DEFAULT_QUORUM_WINDOW, Duration.ofMinutes(1),
                Duration.ofHours(6));
        int problems = 0;
        if (probeRegion != null && !REGION.matcher(probeRegion).matches()) {
            reader.problem("PROBE_REGION must be an AWS region such as eu-west-1, was '" + probeRegion + "'");
            problems++;
        }
        Optional<String> listed = reader.optional("PROBE_REGIONS");
        List<String> regions = listed.map(v -> Arrays.stream(v.split(",", -1)).map(String::strip).toList())
                .orElse(probeRegion == null ? List.of() : List.of(probeRegion));
        for (String region : regions) {
            if (!REGION.matcher(region).matches()) {
                reader.problem("PROBE_REGIONS must list AWS regions separated by commas (eu-west-1, us-east-1), found '"
                        + region + "'");
                problems++;
            }
        }
        Set<String> distinct = new TreeSet<>(regions);
        if (distinct.size() < regions.size()) {
            reader.problem("PROBE_REGIONS names a region more than once: " + listed.orElse(""));
            problems++;
        }
        if (listed.isPresent() && probeRegion != null && !distinct.contains(probeRegion)) {
            reader.problem("PROBE_REGION '" + probeRegion + "' (AWS_REGION unless set) must be one of PROBE_REGIONS ("
                    + String.join(", ", distinct) + ")");
            problems++;
        }
        Optional<String> q = reader.optional("QUORUM");
        int required = 1;
        if (q.isPresent()) {
            try {
                required = Integer.parseInt(q.get().strip());
            } catch (NumberFormatException e) {
                required = -1;
            }
            if (required < 1 || required > distinct.size()) {
                reader.problem("QUORUM must be a whole number from 1 to the number of PROBE_REGIONS (" + distinct.size()
                        + "), was '" + q.get() + "'");
                problems++;
            }
        }
        if (problems > 0 || window == null || distinct.isEmpty()) {
            return null;
        }
        return new QuorumPolicy(required, new TreeSet<>(distinct), window, QuorumPolicy.DEFAULT_CLOCK_SKEW);
    }

    private static Orchestration orchestration(ConfigReader reader) {
        try {
            return Orchestration.parse(reader.optional("ORCHESTRATION").orElse(null));
        } catch (CloudopsException e) {
            reader.problem(e.getMessage());
            return Orchestration.DIRECT;
        }
    }

    /** The alert workflow's state machine: required with Step Functions, which starts one per new alert. */
    private static Optional<String> alertWorkflow(ConfigReader reader, Orchestration orchestration) {
        Optional<String> arn = reader.optional("ALERT_WORKFLOW_ARN");
        if (orchestration == Orchestration.STEPFUNCTIONS && arn.isEmpty()) {
            reader.problem("ALERT_WORKFLOW_ARN is required with ORCHESTRATION=stepfunctions (the alert workflow's "
                    + "state machine ARN)");
        } else if (arn.isPresent() && !STATE_MACHINE_ARN.matcher(arn.get()).matches()) {
            reader.problem("ALERT_WORKFLOW_ARN must be a state machine ARN "
                    + "(arn:aws:states:<region>:<account>:stateMachine:<name>), was '" + arn.get() + "'");
        }
        return arn;
    }

    /** The prices of CostPerAlert: the memory Lambda gives the function, and the model's token prices in USD. */
    private static CostModel cost(ConfigReader reader) {
        Integer memory = reader.integer("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", CostModel.DEFAULT_MEMORY_MB, 128, 10_240);
        Double input = reader.decimal("BEDROCK_INPUT_PRICE_PER_1K", CostModel.DEFAULT_INPUT_PRICE_PER_1K, 0, 1);
        Double output = reader.decimal("BEDROCK_OUTPUT_PRICE_PER_1K", CostModel.DEFAULT_OUTPUT_PRICE_PER_1K, 0, 1);
        return memory == null || input == null || output == null ? null : new CostModel(memory, input, output);
    }

    private static Optional<BedrockAgent> bedrockAgent(ConfigReader reader) {
        Optional<String> id = reader.optional("BEDROCK_AGENT_ID");
        Optional<String> alias = reader.optional("BEDROCK_AGENT_ALIAS_ID");
        Duration timeout = reader.duration("AGENT_TIMEOUT", Duration.ofSeconds(90), Duration.ofSeconds(5),
                Duration.ofMinutes(14));
        Integer rounds = reader.integer("AGENT_MAX_TOOL_ROUNDS", 8, 1, 50);
        if (id.isPresent() != alias.isPresent()) {
            reader.problem("set both BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID, or neither (to analyse with rules)");
            return Optional.empty();
        }
        for (String value : List.of(id.orElse("AAAAAAAAAA"), alias.orElse("AAAAAAAAAA"))) {
            if (!value.matches("[0-9A-Za-z]{1,10}")) {
                reader.problem("BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID are up to 10 letters and digits, got '"
                        + value + "'");
            }
        }
        return id.map(agentId -> new BedrockAgent(agentId, alias.get(), timeout, rounds == null ? 8 : rounds));
    }

    private static TargetsLocation targets(ConfigReader reader) {
        Optional<String> inline = reader.optional("TARGETS");
        Optional<String> s3 = reader.optional("TARGETS_S3_URI");
        Optional<String> ssm = reader.optional("TARGETS_SSM_PARAMETER");
        int set = (inline.isPresent() ? 1 : 0) + (s3.isPresent() ? 1 : 0) + (ssm.isPresent() ? 1 : 0);
        if (set != 1) {
            reader.problem("set exactly one of TARGETS (the document inline), TARGETS_S3_URI or TARGETS_SSM_PARAMETER"
                    + (set == 0 ? " (none is set)" : " (" + set + " are set)"));
            return null;
        }
        if (inline.isPresent()) {
            try {
                TargetDocument.parse(inline.get());
            } catch (InvalidTargetDocumentException e) {
                reader.problem("TARGETS: " + e.getMessage());
            }
            return new TargetsLocation.Inline(inline.get());
        }
        if (s3.isPresent()) {
            Matcher m = S3_URI.matcher(s3.get());
            if (!m.matches()) {
                reader.problem("TARGETS_S3_URI must look like s3://bucket/key, was '" + s3.get() + "'");
                return null;
            }
            return new TargetsLocation.S3Object(m.group(1), m.group(2));
        }
        return new TargetsLocation.SsmParameter(ssm.get());
    }

}
