package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.approval.ApprovalConfig;
import dev.cloudops.config.ConfigException;
import dev.cloudops.execution.ExecutionConfig;
import dev.cloudops.monitor.MonitorConfig;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable a function's config reads is set for that function by template.yaml (Globals plus
 * its own Environment), or listed here as deliberately left to its default; and every variable the template sets
 * is read by that function. The same holds for the monitor of probe-region.yaml. The variables read are recorded
 * by handing each config a map that logs its lookups.
 */
class EnvironmentTest {

    private static final Map<String, Consumer<Map<String, String>>> CONFIGS = Map.of(
            "MonitorFunction", MonitorConfig::from,
            "ApprovalFunction", ApprovalConfig::from,
            "ExecutionFunction", ExecutionConfig::from);

    /** Read by every function, never set by the template. */
    private static final Map<String, String> NEVER_SET = Map.of(
            "AWS_REGION", "set by Lambda",
            "AWS_ENDPOINT_URL", "emulators only; in AWS the SDK's own endpoints are right",
            // Runtime-provided and reserved: a function cannot set them, Lambda does (Tracing: Active in Globals).
            "AWS_XRAY_DAEMON_ADDRESS", "set by Lambda: the X-Ray daemon it runs beside the function",
            "_X_AMZN_TRACE_ID", "set by Lambda for each invocation: the trace header");

    /** Read outside the config records (System.getenv), so the recording map cannot see them. */
    private static final Map<String, String> READ_OUTSIDE_CONFIG = Map.of(
            "LOG_LEVEL", "JsonLoggerProvider reads it once at start",
            "_X_AMZN_TRACE_ID", "XRayTracing reads it for each step, as the X-Ray SDK does");

    private static final Map<String, String> COMMON_DEFAULTS = Map.ofEntries(
            Map.entry("ARTIFACTS_KMS_KEY_ID", "the bucket encrypts with SSE-S3 (BucketEncryption AES256); no KMS key to pay for or grant"),
            Map.entry("ALERT_TTL", "7 days is the retention the design asks for"),
            Map.entry("LINK_EXPIRY", "15-minute presigned links are short enough for notifications"),
            Map.entry("NOTIFY_SES_FROM", "HTML email through SES needs a verified sender; the template sends email through the SNS topic"),
            Map.entry("NOTIFY_SES_TO", "goes with NOTIFY_SES_FROM"),
            Map.entry("REVIEW_LINK_TTL", "24 h, the same as the default decision window"),
            Map.entry("LOG_LEVEL", "INFO, the same as LoggingConfig.ApplicationLogLevel in the Globals"),
            Map.entry("METRICS_NAMESPACE", "CloudopsAgent, the namespace the template's alarms and dashboard read"));

    /** Optional variables each function leaves to its default, and why. */
    private static final Map<String, Map<String, String>> DEFAULTS = Map.of(
            "MonitorFunction", merged(Map.ofEntries(
                    Map.entry("TARGETS_S3_URI", "the template passes the target document inline (TARGETS)"),
                    Map.entry("TARGETS_SSM_PARAMETER", "the template passes the target document inline (TARGETS)"),
                    Map.entry("DNS_RESOLVERS", "the VPC-less Lambda resolver is the one users' browsers also reach"),
                    Map.entry("DNS_TIMEOUT", "2 s default"),
                    Map.entry("CONNECT_TIMEOUT", "3 s default"),
                    Map.entry("REQUEST_TIMEOUT", "10 s default"),
                    Map.entry("PROBE_CONCURRENCY", "two per processor by default, follows the function's memory"),
                    Map.entry("PROBE_MAX_OPEN", "600 default, below Lambda's 1,024 open files"),
                    Map.entry("MAX_BODY_BYTES", "1 MiB default"),
                    Map.entry("TIME_MARGIN", "3 s default before the 300 s timeout"),
                    Map.entry("MANUAL_SEVERITY", "medium default"),
                    Map.entry("AGENT_TIMEOUT", "90 s default, well inside the 300 s timeout"),
                    Map.entry("AGENT_MAX_TOOL_ROUNDS", "8 default"),
                    Map.entry("ANALYSIS_DEADLINE", "60 s default"),
                    Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "set by Lambda itself (the cost estimate reads it)"),
                    Map.entry("BEDROCK_INPUT_PRICE_PER_1K", "list price default of the cost estimate"),
                    Map.entry("BEDROCK_OUTPUT_PRICE_PER_1K", "list price default of the cost estimate"),
                    Map.entry("PROBE_REGION", "every stack probes from the function's own AWS_REGION"),
                    Map.entry("HOME_REGION", "the home stack's monitor keeps its stores in its own region"))),
            "ApprovalFunction", merged(Map.ofEntries(
                    Map.entry("APPROVAL_ROLES", "the design's role table is the default"),
                    Map.entry("LINK_MODE_SEVERITIES", "low and medium by default, never critical"),
                    Map.entry("CSRF_TOKEN_TTL", "2 h default"))),
            "ExecutionFunction", merged(Map.ofEntries(
                    Map.entry("LOCK_TTL", "15 m default, longer than the 900 s timeout"),
                    Map.entry("RETRY_AFTER", "5 m default, the schedule's period"),
                    Map.entry("EXECUTION_WINDOW_ZONE", "UTC default; EXECUTION_WINDOWS are written in UTC"),
                    Map.entry("VERIFY_DEADLINE", "3 m default"),
                    Map.entry("VERIFY_INTERVAL", "10 s default"),
                    Map.entry("ROUTE53_SYNC_DEADLINE", "5 m default"),
                    Map.entry("DNS_RESOLVERS", "the Lambda resolver"),
                    Map.entry("AGENT_TIMEOUT", "5 m default, inside the 900 s timeout"),
                    Map.entry("AGENT_MAX_TOOL_ROUNDS", "12 default"),
                    Map.entry("EXECUTION_TIME_RESERVE", "the sync deadline + 1 m: 360 s of the 900 s timeout"),
                    Map.entry("EXECUTION_STUCK_AFTER", "20 m default, past the 900 s timeout"),
                    Map.entry("APPROVAL_ROLES", "the design's role table, as the approval function's default"),
                    Map.entry("LINK_MODE_SEVERITIES", "low and medium, as the approval function's default"))));

    /** The monitor of probe-region.yaml: its stores are the home region's, so it sets HOME_REGION. */
    private static final String PROBE_MONITOR = "MonitorFunction";
    private static final Map<String, String> PROBE_MONITOR_DEFAULTS = without(DEFAULTS.get("MonitorFunction"), "HOME_REGION");

    /** Set by the template but read by no code of the function, and why that is right. */
    private static final Map<String, String> SET_FOR_OTHERS = Map.of(
            "JAVA_TOOL_OPTIONS", "read by the JVM: the compiler and collector settings (JvmFlagsTest)");

    private static final Pattern MISSING = Pattern.compile("^(\\w+) is (?:missing|required)");

    @Test
    void everyRequiredVariable_isSetByTheTemplate() {
        Template template = Template.committed();

        List<String> problems = requiredProblems(template);

        assertThat(problems).as("required variables missing from template.yaml").isEmpty();
    }

    @Test
    void everyOptionalVariable_isSetOrDeliberatelyLeftToItsDefault() {
        Template template = Template.committed();

        List<String> problems = optionalProblems(template);

        assertThat(problems).as("optional variables neither set by template.yaml nor listed in DEFAULTS").isEmpty();
    }

    @Test
    void everyVariableTheTemplateSets_isReadByThatFunction() {
        Template template = Template.committed();

        List<String> problems = unreadProblems(template);

        assertThat(problems).as("variables set by template.yaml that the function never reads").isEmpty();
    }

    @Test
    void theProbeRegionMonitor_setsEveryVariableItReads_orLeavesItToItsDefault_andReadsEveryVariableItSets() {
        Template probe = Template.probeRegion();

        List<String> problems = new ArrayList<>(requiredProblems(probe, probeSubject()));
        problems.addAll(optionalProblems(probe, probeSubject()));
        problems.addAll(unreadProblems(probe, probeSubject()));

        assertThat(problems).as("variables of probe-region.yaml's monitor").isEmpty();
        assertThat(probe.environment(PROBE_MONITOR)).containsKeys("HOME_REGION", "PROBE_REGIONS", "QUORUM",
                "QUORUM_WINDOW", "REGIONAL_ALERT_AFTER");
    }

    @Test
    void aProbeRegionMonitorWithoutHomeRegion_isReported() {
        Template broken = Template.probeRegion();
        ((ObjectNode) broken.resource(PROBE_MONITOR).path("Properties").path("Environment").path("Variables"))
                .remove(List.of("HOME_REGION", "CONTROL_TABLE"));

        List<String> problems = new ArrayList<>(requiredProblems(broken, probeSubject()));
        problems.addAll(optionalProblems(broken, probeSubject()));

        assertThat(problems).contains("probe-region.yaml MonitorFunction: CONTROL_TABLE is required but not set",
                "probe-region.yaml MonitorFunction: HOME_REGION is read but neither set nor listed as left to its default");
    }

    @Test
    void aMissingRenamedOrMisspelledVariable_isReported() {
        Template broken = Template.committed();
        ObjectNode monitor = (ObjectNode) broken.resource("MonitorFunction").path("Properties").path("Environment")
                .path("Variables");
        monitor.remove("CONTROL_TABLE");
        ObjectNode execution = (ObjectNode) broken.resource("ExecutionFunction").path("Properties")
                .path("Environment").path("Variables");
        execution.set("APPROVAL_WINDOWS", execution.remove("APPROVAL_WINDOW"));

        List<String> problems = new ArrayList<>(requiredProblems(broken));
        problems.addAll(optionalProblems(broken));
        problems.addAll(unreadProblems(broken));

        assertThat(problems).contains("MonitorFunction: CONTROL_TABLE is required but not set",
                "ExecutionFunction: APPROVAL_WINDOW is read but neither set nor listed as left to its default",
                "ExecutionFunction: APPROVAL_WINDOWS is set but never read");
    }

    @Test
    void theRecordingMap_seesTheVariablesAConfigReads() {
        Reads reads = reads(ExecutionConfig::from);

        assertThat(reads.all()).contains("ALERTS_TABLE", "CONTROL_TABLE", "EXECUTION_MODE", "AWS_ENDPOINT_URL_S3",
                "NOTIFY_SES_FROM");
        assertThat(reads.required()).contains("AWS_REGION", "ALERTS_TABLE", "ARTIFACTS_BUCKET", "CONTROL_TABLE")
                .doesNotContain("EXECUTION_MODE");
    }

    /**
     * Every function reads the executor role and is given its ARN: approval shows and execution uses its session
     * policy, and the monitor names it in a learned runbook's own approval (only the execution function may assume
     * it: PermissionsTest).
     */
    @Test
    void everyFunction_readsTheExecutorRole_andIsGivenItsArn() {
        Template template = Template.committed();

        for (var config : List.<Consumer<Map<String, String>>>of(ApprovalConfig::from, ExecutionConfig::from,
                MonitorConfig::from)) {
            assertThat(reads(config).all()).contains("EXECUTOR_ROLE_ARN").doesNotContain("EXECUTION_ROLE_ARN");
        }
        for (String function : List.of("ApprovalFunction", "ExecutionFunction", "MonitorFunction")) {
            assertThat(template.environment(function)).as(function).containsKey("EXECUTOR_ROLE_ARN");
            assertThat(template.environment(function).get("EXECUTOR_ROLE_ARN").path("Fn::GetAtt").toString())
                    .as("%s EXECUTOR_ROLE_ARN", function).isEqualTo("[\"ExecutorRole\",\"Arn\"]");
        }
    }

    /** A function of a template, named in problems by its label, with its config and the variables it leaves to their defaults. */
    private record Subject(String label, String function, Consumer<Map<String, String>> config, Map<String, String> defaults) {
    }

    /** The three functions of template.yaml. */
    private static List<Subject> homeSubjects() {
        return CONFIGS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Subject(e.getKey(), e.getKey(), e.getValue(), DEFAULTS.get(e.getKey()))).toList();
    }

    /** The monitor of probe-region.yaml. */
    private static List<Subject> probeSubject() {
        return List.of(new Subject("probe-region.yaml " + PROBE_MONITOR, PROBE_MONITOR, MonitorConfig::from,
                PROBE_MONITOR_DEFAULTS));
    }

    private static List<String> requiredProblems(Template template) {
        return requiredProblems(template, homeSubjects());
    }

    private static List<String> optionalProblems(Template template) {
        return optionalProblems(template, homeSubjects());
    }

    private static List<String> unreadProblems(Template template) {
        return unreadProblems(template, homeSubjects());
    }

    private static List<String> requiredProblems(Template template, List<Subject> subjects) {
        List<String> problems = new ArrayList<>();
        for (Subject subject : subjects) {
            Set<String> set = template.environment(subject.function()).keySet();
            for (String name : reads(subject.config()).required()) {
                if (!set.contains(name) && !NEVER_SET.containsKey(name)) {
                    problems.add(subject.label() + ": " + name + " is required but not set");
                }
            }
        }
        return problems;
    }

    private static List<String> optionalProblems(Template template, List<Subject> subjects) {
        List<String> problems = new ArrayList<>();
        for (Subject subject : subjects) {
            Set<String> set = template.environment(subject.function()).keySet();
            Set<String> read = new TreeSet<>(reads(subject.config()).all());
            read.addAll(READ_OUTSIDE_CONFIG.keySet());
            for (String name : read) {
                if (!set.contains(name) && !neverSet(name) && !subject.defaults().containsKey(name)) {
                    problems.add(subject.label() + ": " + name + " is read but neither set nor listed as left to its default");
                }
            }
            for (String name : subject.defaults().keySet()) {
                if (set.contains(name)) {
                    problems.add(subject.label() + ": " + name + " is listed as left to its default but the template sets it");
                }
                if (!read.contains(name)) {
                    problems.add(subject.label() + ": " + name + " is listed as left to its default but no code reads it");
                }
            }
        }
        return problems;
    }

    private static List<String> unreadProblems(Template template, List<Subject> subjects) {
        List<String> problems = new ArrayList<>();
        for (Subject subject : subjects) {
            Set<String> read = reads(subject.config()).all();
            for (String name : template.environment(subject.function()).keySet()) {
                if (!read.contains(name) && !READ_OUTSIDE_CONFIG.containsKey(name) && !SET_FOR_OTHERS.containsKey(name)) {
                    problems.add(subject.label() + ": " + name + " is set but never read");
                }
            }
        }
        return problems;
    }

    private static boolean neverSet(String name) {
        return NEVER_SET.containsKey(name) || name.startsWith("AWS_ENDPOINT_URL_");
    }

    /** The variables a config reads, and those it cannot start without (named as missing when the map is empty). */
    record Reads(Set<String> all, Set<String> required) {
    }

    static Reads reads(Consumer<Map<String, String>> config) {
        RecordingMap env = new RecordingMap();
        Set<String> required = new TreeSet<>();
        try {
            config.accept(env);
            throw new AssertionError("a config accepted an empty environment");
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                Matcher m = MISSING.matcher(problem);
                if (m.find()) {
                    required.add(m.group(1));
                }
            }
        }
        return new Reads(env.asked, required);
    }

    private static Map<String, String> without(Map<String, String> all, String name) {
        Map<String, String> out = new TreeMap<>(all);
        assertThat(out.remove(name)).as("%s is listed", name).isNotNull();
        return out;
    }

    private static Map<String, String> merged(Map<String, String> own) {
        Map<String, String> all = new TreeMap<>(COMMON_DEFAULTS);
        all.putAll(own);
        return all;
    }

    /** An empty environment that remembers every name looked up in it. */
    private static final class RecordingMap extends AbstractMap<String, String> {

        final Set<String> asked = new LinkedHashSet<>();

        @Override
        public String get(Object key) {
            asked.add((String) key);
            return null;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return Set.of();
        }
    }
}
