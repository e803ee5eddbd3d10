package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Severity;
import dev.cloudops.config.ConfigException;
import dev.cloudops.monitor.quorum.QuorumPolicy;
import dev.cloudops.orchestration.Orchestration;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {

    private static final Map<String, String> BASE = Map.of(
            "AWS_REGION", "eu-west-1",
            "ALERTS_TABLE", "cloudops-alerts",
            "ARTIFACTS_BUCKET", "cloudops-artifacts",
            "CONTROL_TABLE", "cloudops-control");

    private static final Map<String, String> BASE_WITH_TARGETS = withTargets();

    private static Map<String, String> withTargets() {
        Map<String, String> env = new java.util.HashMap<>(BASE);
        env.put("TARGETS_SSM_PARAMETER", "/cloudops/targets");
        return env;
    }

    @Test
    void from_readsEverySetting() {
        Map<String, String> env = new java.util.HashMap<>(BASE);
        env.put("TARGETS_S3_URI", "s3://cloudops-config/targets.yaml");
        env.put("DNS_RESOLVERS", "1.1.1.1, 10.0.0.2:5353, [2606:4700::1111]");
        env.put("PROBE_CONCURRENCY", "50");
        env.put("MANUAL_SEVERITY", "high");
        env.put("BEDROCK_AGENT_ID", "AGENT12345");
        env.put("BEDROCK_AGENT_ALIAS_ID", "ALIAS12345");

        MonitorConfig config = MonitorConfig.from(env);

        assertThat(config.targets()).isEqualTo(new MonitorConfig.TargetsLocation.S3Object("cloudops-config", "targets.yaml"));
        assertThat(config.resolvers()).extracting(InetSocketAddress::getPort).containsExactly(53, 5353, 53);
        assertThat(config.resolvers().get(2).getAddress().getHostAddress()).isEqualTo("2606:4700:0:0:0:0:0:1111");
        assertThat(config.concurrency()).isEqualTo(50);
        assertThat(config.maxOpen()).isEqualTo(600);
        assertThat(config.manualSeverity()).isEqualTo(Severity.HIGH);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.controlTable()).isEqualTo("cloudops-control");
        assertThat(config.bedrockAgent()).contains(new MonitorConfig.BedrockAgent("AGENT12345", "ALIAS12345",
                Duration.ofSeconds(90), 8));
        assertThat(MonitorConfig.from(BASE_WITH_TARGETS).bedrockAgent()).isEmpty();
    }

    @Test
    void from_namesEveryProblem_inOneError() {
        Map<String, String> env = Map.of(
                "AWS_REGION", "eu-west-1",
                "TARGETS", "targets: [unclosed",
                "TARGETS_SSM_PARAMETER", "/cloudops/targets",
                "DNS_RESOLVERS", "dns.google",
                "PROBE_CONCURRENCY", "0",
                "MANUAL_SEVERITY", "urgent",
                "BEDROCK_AGENT_ID", "AGENT12345");

        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "ALERTS_TABLE is missing",
                        "ARTIFACTS_BUCKET is missing",
                        "CONTROL_TABLE is missing",
                        "set exactly one of TARGETS (the document inline), TARGETS_S3_URI or TARGETS_SSM_PARAMETER "
                                + "(2 are set)",
                        "DNS_RESOLVERS must list IP addresses with optional ports (1.1.1.1, 10.0.0.2:53, "
                                + "[2606:4700::1111]:53), found 'dns.google'",
                        "PROBE_CONCURRENCY must be between 1 and 900, was 0",
                        "MANUAL_SEVERITY must be one of critical, high, medium, low, was 'urgent'",
                        "set both BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID, or neither (to analyse with rules)"));
    }

    @Test
    void from_refusesAnInlineDocumentThatCannotBeRead() {
        Map<String, String> env = new java.util.HashMap<>(BASE);
        env.put("TARGETS", "targets: [unclosed");

        assertThatThrownBy(() -> MonitorConfig.from(env)).hasMessageContaining("TARGETS: the target document is not "
                + "valid YAML or JSON");
    }

    @Test
    void from_readsTelemetryAndCostSettings_withDocumentedDefaults() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("AUDIT_LOG_GROUP", "/aws/cloudops-agent/audit");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("BEDROCK_OUTPUT_PRICE_PER_1K", "0.004");

        MonitorConfig config = MonitorConfig.from(env);

        assertThat(config.telemetry().metricsNamespace()).isEqualTo("CloudopsAgent");
        assertThat(config.telemetry().auditLogGroup()).contains("/aws/cloudops-agent/audit");
        assertThat(config.cost()).isEqualTo(new dev.cloudops.monitor.investigate.CostModel(512, 0.003, 0.004));
        assertThat(MonitorConfig.from(BASE_WITH_TARGETS).cost())
                .isEqualTo(dev.cloudops.monitor.investigate.CostModel.defaults());
    }

    @Test
    void from_requiresTheAlertWorkflow_withStepFunctionsOrchestration() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("ORCHESTRATION", "stepfunctions");

        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "ALERT_WORKFLOW_ARN is required with ORCHESTRATION=stepfunctions (the alert workflow's "
                                + "state machine ARN)"));
    }

    @Test
    void from_readsWhereARunbooksOwnApprovalGoes_noneByDefault_andNamesABadTopic() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("EXECUTE_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-execute");
        env.put("EXECUTOR_ROLE_ARN", "arn:aws:iam::123456789012:role/cloudops-executor");

        MonitorConfig config = MonitorConfig.from(env);

        assertThat(config.executeTopicArn()).contains("arn:aws:sns:eu-west-1:123456789012:cloudops-execute");
        assertThat(config.executor()).hasValueSatisfying(scope -> assertThat(scope.executorRoleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/cloudops-executor"));
        MonitorConfig bare = MonitorConfig.from(BASE_WITH_TARGETS);
        assertThat(bare.executeTopicArn()).isEmpty();
        assertThat(bare.executor()).isEmpty();
        env.put("EXECUTE_TOPIC_ARN", "cloudops-execute");
        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("EXECUTE_TOPIC_ARN").contains("cloudops-execute"));
    }

    @Test
    void from_readsTheOrchestration_directByDefault() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("ORCHESTRATION", "stepfunctions");
        env.put("ALERT_WORKFLOW_ARN", "arn:aws:states:eu-west-1:123456789012:stateMachine:cloudops-alert-workflow");

        MonitorConfig config = MonitorConfig.from(env);

        assertThat(config.orchestration()).isEqualTo(Orchestration.STEPFUNCTIONS);
        assertThat(config.alertWorkflowArn())
                .contains("arn:aws:states:eu-west-1:123456789012:stateMachine:cloudops-alert-workflow");
        assertThat(MonitorConfig.from(BASE_WITH_TARGETS).orchestration()).isEqualTo(Orchestration.DIRECT);
        env.put("ORCHESTRATION", "airflow");
        env.put("ALERT_WORKFLOW_ARN", "cloudops-alert-workflow");
        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "ORCHESTRATION must be direct or stepfunctions, was \"airflow\"",
                        "ALERT_WORKFLOW_ARN must be a state machine ARN (arn:aws:states:<region>:<account>:"
                                + "stateMachine:<name>), was 'cloudops-alert-workflow'"));
    }

    @Test
    void from_leavesTheQuorumOff_byDefault_oneOfTheLambdaRegionAlone() {
        MonitorConfig config = MonitorConfig.from(BASE_WITH_TARGETS);

        assertThat(config.probeRegion()).isEqualTo("eu-west-1");
        assertThat(config.quorum()).isEqualTo(new QuorumPolicy(1, new TreeSet<>(Set.of("eu-west-1")),
                Duration.ofMinutes(10), QuorumPolicy.DEFAULT_CLOCK_SKEW));
    }

    @Test
    void from_pointsTheClientsAtTheHomeRegion_whileProbingFromItsOwn() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("HOME_REGION", "us-east-1");
        env.put("PROBE_REGIONS", "eu-west-1,us-east-1,ap-southeast-2");
        env.put("QUORUM", "2");

        MonitorConfig config = MonitorConfig.from(env);

        assertThat(config.aws().region().id()).isEqualTo("us-east-1");
        assertThat(config.probeRegion()).isEqualTo("eu-west-1");
        assertThat(MonitorConfig.from(BASE_WITH_TARGETS).aws().region().id()).isEqualTo("eu-west-1");
    }

    @Test
    void from_refusesAHomeRegionThatIsNotARegion() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("HOME_REGION", "home");

        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "HOME_REGION must be an AWS region such as us-east-1, was 'home'"));
    }

    @Test
    void from_readsTheProbeRegionsQuorumAndWindow() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("PROBE_REGION", "us-east-1");
        env.put("PROBE_REGIONS", "eu-west-1, us-east-1,ap-southeast-2");
        env.put("QUORUM", "2");
        env.put("QUORUM_WINDOW", "15m");

        MonitorConfig config = MonitorConfig.from(env);

        assertThat(config.probeRegion()).isEqualTo("us-east-1");
        assertThat(config.quorum()).isEqualTo(new QuorumPolicy(2,
                new TreeSet<>(Set.of("ap-southeast-2", "eu-west-1", "us-east-1")), Duration.ofMinutes(15),
                QuorumPolicy.DEFAULT_CLOCK_SKEW));
    }

    @Test
    void from_refusesAQuorumOutsideOneToTheNumberOfRegions() {
        for (String q : List.of("0", "4", "two")) {
            Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
            env.put("PROBE_REGIONS", "eu-west-1,us-east-1,ap-southeast-2");
            env.put("QUORUM", q);

            assertThatThrownBy(() -> MonitorConfig.from(env))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                            "QUORUM must be a whole number from 1 to the number of PROBE_REGIONS (3), was '" + q + "'"));
        }
        Map<String, String> single = new java.util.HashMap<>(BASE_WITH_TARGETS);
        single.put("QUORUM", "2");
        assertThatThrownBy(() -> MonitorConfig.from(single))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "QUORUM must be a whole number from 1 to the number of PROBE_REGIONS (1), was '2'"));
    }

    @Test
    void from_refusesAProbeRegionThatIsNotAmongTheProbeRegions() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("PROBE_REGIONS", "us-east-1,us-west-2");

        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "PROBE_REGION 'eu-west-1' (AWS_REGION unless set) must be one of PROBE_REGIONS "
                                + "(us-east-1, us-west-2)"));
    }

    @Test
    void from_namesEveryMalformedProbeRegionSetting_inOneError() {
        Map<String, String> env = new java.util.HashMap<>(BASE_WITH_TARGETS);
        env.put("PROBE_REGION", "mars");
        env.put("PROBE_REGIONS", "us-east-1,us-east-1,moon");
        env.put("QUORUM_WINDOW", "10s");

        assertThatThrownBy(() -> MonitorConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "QUORUM_WINDOW must be between PT1M and PT6H, was PT10S",
                        "PROBE_REGION must be an AWS region such as eu-west-1, was 'mars'",
                        "PROBE_REGIONS must list AWS regions separated by commas (eu-west-1, us-east-1), found 'moon'",
                        "PROBE_REGIONS names a region more than once: us-east-1,us-east-1,moon",
                        "PROBE_REGION 'mars' (AWS_REGION unless set) must be one of PROBE_REGIONS (moon, us-east-1)"));
    }
}
