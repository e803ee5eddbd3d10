package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml through the real SAM transform (aws-sam-translator, run by deploy/sam-translate.py as
 * `sam deploy` has CloudFormation do it) with the parameters of every samconfig.toml environment, and
 * of cases no environment sets yet; each output passes the real cfn-lint, and, deployed with its
 * parameters ({@link Deployment}), creates what that environment must have and nothing its
 * conditions switch off. Environments whose template_file is probe-region.yaml (the monitor of another
 * region of multi-region probing) are translated from that template, and their monitor must keep to the
 * home region's resources and to the home monitor's permissions.
 */
class SamTranslationIT {

    /**
     * Cases beyond samconfig.toml's environments: the Bedrock agent, every write scoped to named resources, and a
     * probe region (probe-region.yaml, named NAME@FILE) with every optional part of the home stack on.
     */
    private static final Map<String, String> EXTRA_CASES = Map.of(
            "with-agent", "Stage=dev BedrockAgentMode=create ExecutionMode=agent",
            "with-scoped-writes", "Stage=dev AllowedHostedZoneIds=Z0123456789ABC,Z0ZONE2 "
                    + "AllowedRecordNames=www.example.com,api.example.com AllowedDistributionIds=E1ABCDEF,E2GHIJKL "
                    + "OriginBucketNames=site-a,site-b.example.com",
            "probe-with-everything@probe-region.yaml", "Stage=dev HomeRegion=us-east-1 HomeAlertsTable=home-alerts "
                    + "HomeControlTable=home-control HomeArtifactsBucket=home-artifacts "
                    + "HomeReviewBaseUrl=https://abc123.execute-api.us-east-1.amazonaws.com "
                    + "HomeReviewSigningSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:signing-AbCdEf "
                    + "HomeNotificationsTopic=home-notifications HomeAlertWorkflow=cloudops-alert-workflow-dev "
                    + "HomeExecuteTopic=home-execute HomeExecutorRoleArn=arn:aws:iam::123456789012:role/home-executor "
                    + "BedrockAgentId=AGENT12345 BedrockAgentAliasId=ALIAS12345 "
                    + "TeamsWebhookSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:teams-AbCdEf "
                    + "SlackWebhookSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-AbCdEf "
                    + "OriginBucketNames=site-a,site-b.example.com ProbeRegions=us-east-1,eu-west-1 Quorum=2 "
                    + "QuorumWindow=15m RegionalAlertAfter=off");
    private static final String PROBE_TEMPLATE = "probe-region.yaml";
    /** What the probe-region stack may create: the monitor, its version, alias, role, schedule, queue and logs. */
    private static final List<String> PROBE_RESOURCE_TYPES = List.of("AWS::Lambda::Function", "AWS::Lambda::Version",
            "AWS::Lambda::Alias", "AWS::Lambda::EventInvokeConfig", "AWS::IAM::Role", "AWS::Scheduler::Schedule",
            "AWS::SQS::Queue", "AWS::Logs::LogGroup");
    /** The services whose ARNs in the probe monitor's policy must name the home region (its AWS clients go there). */
    private static final List<String> HOME_SERVICES = List.of("dynamodb", "sns", "logs", "states", "bedrock",
            "secretsmanager");
    private static final List<String> FUNCTIONS = List.of("MonitorFunction", "ApprovalFunction", "ExecutionFunction");
    private static final List<String> ALARMS = List.of("HighAgentErrorRate", "ExecutionFailures", "ApprovalBacklog");

    @TempDir
    static Path out;

    @BeforeAll
    static void translate() {
        Python.require("samtranslator", "cfnlint");
        Path root = Template.file().getParent();
        List<String> args = new ArrayList<>(List.of("deploy/sam-translate.py", "--out", out.toString()));
        EXTRA_CASES.forEach((name, overrides) -> args.add("--case=" + name + "=" + overrides));
        Python.Result result = Python.run(root, Duration.ofMinutes(5), args.toArray(String[]::new));
        assertThat(result.exitCode()).as("deploy/sam-translate.py:\n" + result.output()).isZero();
    }

    /** The environments of samconfig.toml that have deploy parameters. */
    static List<String> environments() {
        try {
            Matcher m = Pattern.compile("(?m)^\\[([\\w-]+)\\.deploy\\.parameters]").matcher(
                    Files.readString(Template.file().resolveSibling("samconfig.toml")));
            List<String> names = new ArrayList<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> cases() {
        return Stream.concat(environments().stream(), EXTRA_CASES.keySet().stream().map(k -> k.replaceFirst("@.*", "")));
    }

    /** The cases of template.yaml, the home stack. */
    static Stream<String> homeCases() {
        return cases().filter(name -> templateOf(name).equals("template.yaml"));
    }

    /** The cases of probe-region.yaml, the monitor of another probe region. */
    static Stream<String> probeCases() {
        return cases().filter(name -> templateOf(name).equals(PROBE_TEMPLATE));
    }

    @Test
    void everySamconfigEnvironment_isTranslated() {
        assertThat(environments()).contains("default", "prod", "quorum-home", "quorum-eu-west-1", "quorum-ap-southeast-2");
        assertThat(environments()).allSatisfy(env -> assertThat(out.resolve(env + ".json")).isRegularFile());
        assertThat(templateOf("quorum-home")).isEqualTo("template.yaml");
        assertThat(templateOf("quorum-eu-west-1")).isEqualTo(PROBE_TEMPLATE);
        assertThat(templateOf("quorum-ap-southeast-2")).isEqualTo(PROBE_TEMPLATE);
        assertThat(homeCases()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(probeCases()).containsExactlyInAnyOrder("quorum-eu-west-1", "quorum-ap-southeast-2", "probe-with-everything");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void translation_passesCfnLint(String name) {
        assertThat(CfnLintIT.findings(Template.file().getParent(), out.resolve(name + ".json")))
                .as("cfn-lint findings on the %s translation", name).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("homeCases")
    void threeFunctions_eachWithSnapStartAndALiveAliasOnAPublishedVersion(String name) {
        Deployment stack = deployed(name);
        Map<String, JsonNode> versions = stack.resources("AWS::Lambda::Version");
        Map<String, JsonNode> aliases = stack.resources("AWS::Lambda::Alias");

        assertThat(stack.resources("AWS::Lambda::Function")).containsOnlyKeys(FUNCTIONS);
        for (String function : FUNCTIONS) {
            JsonNode properties = stack.resources().get(function).path("Properties");
            assertThat(properties.path("SnapStart").path("ApplyOn").asText()).as(function).isEqualTo("PublishedVersions");
            assertThat(properties.path("Runtime").asText()).as(function).isEqualTo("java21");
            String version = versions.entrySet().stream()
                    .filter(v -> v.getValue().path("Properties").path("FunctionName").path("Ref").asText().equals(function))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no version of " + function));
            assertThat(aliases.values()).as("the live alias of " + function).anySatisfy(alias -> {
                assertThat(alias.path("Properties").path("Name").asText()).isEqualTo("live");
                assertThat(alias.path("Properties").path("FunctionName").path("Ref").asText()).isEqualTo(function);
                assertThat(alias.path("Properties").path("FunctionVersion").path("Fn::GetAtt").get(0).asText()).isEqualTo(version);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("homeCases")
    void reviewRoutes_requireACognitoAccessTokenWithTheReviewScope_exactlyWhenCognitoIsOn(String name) {
        Deployment stack = deployed(name);
        boolean cognito = "true".equals(parameters(name).get("EnableCognito"));
        Map<String, JsonNode> routes = stack.resources("AWS::ApiGatewayV2::Route");

        assertThat(routes).hasSizeGreaterThanOrEqualTo(5);
        for (Map.Entry<String, JsonNode> route : routes.entrySet()) {
            JsonNode properties = route.getValue().path("Properties");
            if (cognito) {
                assertThat(properties.path("AuthorizationType").asText()).as(route.getKey()).isEqualTo("JWT");
                assertThat(properties.path("AuthorizerId").path("Ref").asText()).as(route.getKey()).isEqualTo("ReviewAuthorizer");
                assertThat(properties.path("AuthorizationScopes")).as(route.getKey()).containsExactly(
                        TextNode.valueOf("cloudops/review"));
            } else {
                assertThat(properties.path("AuthorizationType").asText()).as(route.getKey()).isEqualTo("NONE");
                assertThat(properties.has("AuthorizerId")).as(route.getKey()).isFalse();
            }
        }
        if (cognito) {
            JsonNode authorizer = stack.resources().get("ReviewAuthorizer").path("Properties");
            assertThat(authorizer.path("AuthorizerType").asText()).isEqualTo("JWT");
            assertThat(authorizer.path("JwtConfiguration").path("Issuer").path("Fn::Sub").asText())
                    .isEqualTo("https://cognito-idp.${AWS::Region}.amazonaws.com/${ReviewUserPool}");
            assertThat(stack.resources("AWS::Cognito::UserPool")).containsOnlyKeys("ReviewUserPool");
            assertThat(stack.resources("AWS::Cognito::UserPoolResourceServer")).hasSize(1);
        } else {
            assertThat(stack.resources("AWS::ApiGatewayV2::Authorizer")).isEmpty();
            assertThat(stack.resources().keySet()).noneMatch(id -> stack.resources().get(id).path("Type").asText()
                    .startsWith("AWS::Cognito::"));
        }
    }

    @Test
    void cognito_isOnInSomeCaseAndOffInAnother() {
        assertThat(homeCases().map(n -> "true".equals(parameters(n).get("EnableCognito")))).contains(true, false);
    }

    @ParameterizedTest
    @MethodSource("homeCases")
    void alarmsAndDashboard_areThere(String name) {
        Deployment stack = deployed(name);

        List<String> alarms = new ArrayList<>(ALARMS);
        if ("stepfunctions".equals(parameters(name).get("Orchestration"))) {
            alarms.addAll(List.of("ProbeFleetFailures", "AlertWorkflowFailures"));
        }
        assertThat(stack.resources("AWS::CloudWatch::Alarm")).containsOnlyKeys(alarms);
        assertThat(stack.resources("AWS::CloudWatch::Dashboard")).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("homeCases")
    void bedrockAgent_existsExactlyWhenAskedFor(String name) {
        Deployment stack = deployed(name);
        boolean asked = "create".equals(parameters(name).get("BedrockAgentMode"));

        if (asked) {
            assertThat(stack.resources("AWS::Bedrock::Agent")).containsOnlyKeys("BedrockAgent");
            assertThat(stack.resources("AWS::Bedrock::AgentAlias")).containsOnlyKeys("BedrockAgentAlias");
            assertThat(stack.resources()).containsKey("AgentResourceRole");
        } else {
            assertThat(stack.resources().values()).noneMatch(r -> r.path("Type").asText().startsWith("AWS::Bedrock::"));
            assertThat(stack.resources()).doesNotContainKey("AgentResourceRole");
        }
    }

    @ParameterizedTest
    @MethodSource("homeCases")
    void stateMachines_existExactlyInStepFunctionsMode_eachFunctionReachingOnlyItsOwnPart(String name) {
        Deployment stack = deployed(name);
        boolean orchestrated = "stepfunctions".equals(parameters(name).get("Orchestration"));
        String workflow = "arn:aws:states:eu-west-1:123456789012:stateMachine:cloudops-alert-workflow-"
                + parameters(name).getOrDefault("Stage", "dev");

        for (String function : FUNCTIONS) {
            JsonNode variables = stack.resources().get(function).path("Properties").path("Environment").path("Variables");
            assertThat(variables.path("ORCHESTRATION").asText()).as(function).isEqualTo(orchestrated ? "stepfunctions" : "direct");
        }
        if (!orchestrated) {
            assertThat(stack.resources("AWS::StepFunctions::StateMachine")).isEmpty();
            assertThat(statements(stack, "MonitorFunctionRole")).doesNotContainKey("StartAlertWorkflows");
            assertThat(statements(stack, "ApprovalFunctionRole")).doesNotContainKey("AnswerApprovalTasks");
            return;
        }
        Map<String, JsonNode> machines = stack.resources("AWS::StepFunctions::StateMachine");
        assertThat(machines).containsOnlyKeys("AlertWorkflow", "ProbeFleet");
        JsonNode alertWorkflow = machines.get("AlertWorkflow").path("Properties");
        assertThat(alertWorkflow.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(alertWorkflow.path("DefinitionS3Location").path("Key").asText())
                .isEqualTo("statemachines/alert-workflow.asl.json");
        assertThat(machines.get("ProbeFleet").path("Properties").path("DefinitionS3Location").path("Key").asText())
                .isEqualTo("statemachines/probe-fleet.asl.json");
        // The monitor and the approval function know the workflow by its ARN, and may only start it and answer it.
        assertThat(stack.resources().get("MonitorFunction").path("Properties").path("Environment").path("Variables")
                .path("ALERT_WORKFLOW_ARN").asText()).isEqualTo(workflow);
        assertThat(statements(stack, "MonitorFunctionRole").get("StartAlertWorkflows").path("Resource").asText())
                .isEqualTo(workflow);
        JsonNode answer = statements(stack, "ApprovalFunctionRole").get("AnswerApprovalTasks");
        assertThat(texts(answer.path("Action"))).containsExactlyInAnyOrder("states:SendTaskSuccess", "states:SendTaskFailure");
        assertThat(answer.path("Resource").asText()).isEqualTo(workflow);
        // The fleet is probed on the schedule, with the shard size and concurrency of the parameters.
        JsonNode schedule = stack.resources("AWS::Scheduler::Schedule").values().stream()
                .filter(s -> s.path("Properties").path("Target").path("Arn").path("Ref").asText().equals("ProbeFleet"))
                .findFirst().orElseThrow(() -> new AssertionError("no schedule starts ProbeFleet"));
        assertThat(schedule.path("Properties").path("Target").path("Input").asText()).isEqualTo(
                "{\"shard_size\": " + parameters(name).getOrDefault("ShardSize", "1000") + ", \"max_concurrency\": "
                        + parameters(name).getOrDefault("ShardConcurrency", "20") + "}");
    }

    @Test
    void stepFunctionsMode_isSomeEnvironmentsChoice_andDirectIsTheDefault() {
        assertThat(homeCases().filter(environments()::contains).map(n -> parameters(n).getOrDefault("Orchestration", "direct")))
                .contains("direct", "stepfunctions");
    }

    @Test
    void writes_areScopedToTheNamedZonesDistributionsAndBuckets_oneArnEach() {
        Deployment stack = deployed("with-scoped-writes");
        Map<String, JsonNode> execution = statements(stack, "ExecutorRole");
        Map<String, JsonNode> monitor = statements(stack, "MonitorFunctionRole");

        assertThat(texts(execution.get("RecordChangesInAllowedZones").path("Resource"))).containsExactly(
                "arn:aws:route53:::hostedzone/Z0123456789ABC", "arn:aws:route53:::hostedzone/Z0ZONE2");
        assertThat(texts(execution.get("RecordChangesInAllowedZones").path("Condition")
                .path("ForAllValues:StringLike").path("route53:ChangeResourceRecordSetsNormalizedRecordNames")))
                .containsExactly("www.example.com", "api.example.com");
        assertThat(texts(execution.get("AllowedDistributions").path("Resource"))).containsExactly(
                "arn:aws:cloudfront::*:distribution/E1ABCDEF", "arn:aws:cloudfront::*:distribution/E2GHIJKL");
        assertThat(texts(monitor.get("OriginBucketsReadOnly").path("Resource"))).containsExactly(
                "arn:aws:s3:::site-a", "arn:aws:s3:::site-b.example.com");
    }

    @Test
    void withoutNamedResources_noWriteStatementExists() {
        Deployment stack = deployed("default");

        assertThat(statements(stack, "ExecutorRole")).doesNotContainKeys("RecordChangesInAllowedZones", "AllowedDistributions");
        assertThat(statements(stack, "ExecutionRole")).doesNotContainKeys("ReadBeforeWrite", "RecordChangesInAllowedZones",
                "AllowedDistributions");
        assertThat(statements(stack, "MonitorFunctionRole")).doesNotContainKey("OriginBucketsReadOnly");
    }

    @ParameterizedTest
    @MethodSource("homeCases")
    void homeMonitor_getsTheProbeRegionsAndQuorumOfItsParameters(String name) {
        Map<String, String> parameters = parameters(name);
        JsonNode env = environment(deployed(name), "MonitorFunction");

        String regions = parameters.getOrDefault("ProbeRegions", "");
        if (regions.isEmpty()) {
            assertThat(env.has("PROBE_REGIONS")).as("PROBE_REGIONS without ProbeRegions").isFalse();
        } else {
            assertThat(env.path("PROBE_REGIONS").asText()).isEqualTo(regions);
        }
        assertThat(env.path("QUORUM").asText()).isEqualTo(parameters.getOrDefault("Quorum", "1"));
        assertThat(env.path("QUORUM_WINDOW").asText()).isEqualTo(parameters.getOrDefault("QuorumWindow", "10m"));
        assertThat(env.path("REGIONAL_ALERT_AFTER").asText()).isEqualTo(parameters.getOrDefault("RegionalAlertAfter", "30m"));
        assertThat(env.has("HOME_REGION")).as("the home stack's monitor keeps its stores in its own region").isFalse();
    }

    @Test
    void theQuorumHomeEnvironment_asksTwoOfThreeRegions() {
        JsonNode env = environment(deployed("quorum-home"), "MonitorFunction");

        assertThat(env.path("PROBE_REGIONS").asText()).isEqualTo("us-east-1,eu-west-1,ap-southeast-2");
        assertThat(env.path("QUORUM").asText()).isEqualTo("2");
    }

    /** The home and probe environments describe one setup: the same regions and quorum, each probe region among them. */
    @Test
    void theQuorumEnvironments_agreeOnRegionsQuorumAndHome() {
        Map<String, String> home = parameters("quorum-home");
        String homeRegion = samconfigRegion("quorum-home");
        List<String> regions = List.of(home.get("ProbeRegions").split(","));

        assertThat(regions).contains(homeRegion).doesNotHaveDuplicates();
        assertThat(Integer.parseInt(home.get("Quorum"))).isBetween(2, regions.size());
        List<String> probes = environments().stream().filter(n -> templateOf(n).equals(PROBE_TEMPLATE)).toList();
        assertThat(probes).hasSize(regions.size() - 1);
        for (String probe : probes) {
            Map<String, String> parameters = parameters(probe);
            assertThat(samconfigRegion(probe)).as(probe).isIn(regions).isNotEqualTo(homeRegion);
            assertThat(parameters.get("HomeRegion")).as(probe).isEqualTo(homeRegion);
            for (String same : List.of("ProbeRegions", "Quorum", "QuorumWindow", "RegionalAlertAfter", "Stage")) {
                assertThat(parameters.get(same)).as(probe + " " + same).isEqualTo(home.get(same));
            }
        }
        assertThat(probes.stream().map(SamTranslationIT::samconfigRegion)).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("probeCases")
    void probeRegion_deploysOnlyTheMonitor_withSnapStartAndALiveAlias_onTheProbeSchedule(String name) {
        Deployment stack = deployed(name);

        assertThat(stack.resources("AWS::Lambda::Function")).containsOnlyKeys("MonitorFunction");
        assertThat(stack.resources().values()).allSatisfy(r -> assertThat(r.path("Type").asText()).isIn(PROBE_RESOURCE_TYPES));
        JsonNode properties = stack.resources().get("MonitorFunction").path("Properties");
        assertThat(properties.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(stack.resources("AWS::Lambda::Alias").values()).singleElement().satisfies(alias ->
                assertThat(alias.path("Properties").path("Name").asText()).isEqualTo("live"));
        assertThat(stack.resources("AWS::Scheduler::Schedule").values()).singleElement().satisfies(schedule ->
                assertThat(schedule.path("Properties").path("ScheduleExpression").asText())
                        .isEqualTo(parameters(name).getOrDefault("ProbeSchedule", "rate(5 minutes)")));
        assertThat(stack.resources("AWS::Logs::LogGroup")).containsOnlyKeys("MonitorLogGroup");
        assertThat(stack.resources("AWS::SQS::Queue")).containsOnlyKeys("MonitorDeadLetterQueue");
    }

    @ParameterizedTest
    @MethodSource("probeCases")
    void probeRegion_monitorSendsItsClientsHome_andProbesWithTheQuorumOfTheHomeStack(String name) {
        Map<String, String> parameters = parameters(name);
        JsonNode env = environment(deployed(name), "MonitorFunction");

        assertThat(env.path("HOME_REGION").asText()).isEqualTo(parameters.get("HomeRegion")).isNotEmpty();
        assertThat(env.path("PROBE_REGIONS").asText()).isEqualTo(parameters.get("ProbeRegions")).contains(",");
        assertThat(env.path("QUORUM").asText()).isEqualTo(parameters.getOrDefault("Quorum", "2"));
        assertThat(env.path("QUORUM_WINDOW").asText()).isEqualTo(parameters.getOrDefault("QuorumWindow", "10m"));
        assertThat(env.path("REGIONAL_ALERT_AFTER").asText()).isEqualTo(parameters.getOrDefault("RegionalAlertAfter", "30m"));
        assertThat(env.has("PROBE_REGION")).as("the probe region is the function's own AWS_REGION").isFalse();
        assertThat(env.path("ALERTS_TABLE").asText()).isEqualTo(parameters.get("HomeAlertsTable"));
        assertThat(env.path("CONTROL_TABLE").asText()).isEqualTo(parameters.get("HomeControlTable"));
        assertThat(env.path("ARTIFACTS_BUCKET").asText()).isEqualTo(parameters.get("HomeArtifactsBucket"));
        assertThat(env.path("REVIEW_BASE_URL").asText()).isEqualTo(parameters.get("HomeReviewBaseUrl"));
        assertThat(env.path("REVIEW_SIGNING_SECRET_ARN").asText()).isEqualTo(parameters.get("HomeReviewSigningSecretArn"));
        String home = parameters.get("HomeRegion");
        if (parameters.containsKey("HomeAlertWorkflow")) {
            assertThat(env.path("ORCHESTRATION").asText()).isEqualTo("stepfunctions");
            assertThat(env.path("ALERT_WORKFLOW_ARN").asText()).isEqualTo("arn:aws:states:" + home
                    + ":123456789012:stateMachine:" + parameters.get("HomeAlertWorkflow"));
        } else {
            assertThat(env.path("ORCHESTRATION").asText()).isEqualTo("direct");
        }
        if (parameters.containsKey("HomeNotificationsTopic")) {
            assertThat(env.path("NOTIFY_EMAIL_TOPIC_ARN").asText()).isEqualTo("arn:aws:sns:" + home + ":123456789012:"
                    + parameters.get("HomeNotificationsTopic"));
        }
    }

    @ParameterizedTest
    @MethodSource("probeCases")
    void probeRegion_policyNamesOnlyTheHomeRegionsResources_andNoWriteOnEveryResource(String name) {
        Deployment stack = deployed(name);
        Map<String, String> parameters = parameters(name);
        String home = parameters.get("HomeRegion");
        Map<String, JsonNode> own = statements(stack, "MonitorFunctionRole");

        assertThat(homeRegionProblems(stack, home)).isEmpty();
        String tables = "arn:aws:dynamodb:" + home + ":123456789012:table/";
        assertThat(texts(own.get("Alerts").path("Resource"))).containsExactly(tables + parameters.get("HomeAlertsTable"),
                tables + parameters.get("HomeAlertsTable") + "/index/*");
        assertThat(own.get("Control").path("Resource").asText()).isEqualTo(tables + parameters.get("HomeControlTable"));
        assertThat(own.get("Artifacts").path("Resource").asText()).isEqualTo("arn:aws:s3:::" + parameters.get("HomeArtifactsBucket") + "/*");
        assertThat(own.get("Audit").path("Resource").asText()).isEqualTo("arn:aws:logs:" + home + ":123456789012:log-group:"
                + parameters.getOrDefault("HomeAuditLogGroup", "/aws/cloudops-agent/audit") + ":*");
    }

    /** The probe monitor may do what the home monitor may, statement by statement; every part on, all of it. */
    @ParameterizedTest
    @MethodSource("probeCases")
    void probeRegion_grantsTheHomeMonitorsActions_statementByStatement(String name) {
        Map<String, List<String>> homeActions = new LinkedHashMap<>();
        homeCases().forEach(h -> statements(deployed(h), "MonitorFunctionRole").forEach((sid, statement) ->
                homeActions.put(sid, sorted(strings(statement.path("Action"))))));
        Map<String, JsonNode> probe = statements(deployed(name), "MonitorFunctionRole");

        assertThat(homeActions).containsKeys("Alerts", "Control", "Agent", "StartAlertWorkflows", "OriginBucketsReadOnly");
        assertThat(homeActions).containsKeys(probe.keySet().toArray(String[]::new));
        probe.forEach((sid, statement) -> assertThat(sorted(strings(statement.path("Action")))).as(sid)
                .isNotEmpty().isEqualTo(homeActions.get(sid)));
    }

    /**
     * Between them, the probe cases (one with every optional part and the alert workflow, the samconfig ones in direct
     * orchestration) have every statement the home monitor has in one deployment or another.
     */
    @Test
    void probeRegions_grantEveryStatementOfTheHomeMonitor_acrossTheirCases() {
        Set<String> home = new TreeSet<>();
        homeCases().forEach(h -> home.addAll(statements(deployed(h), "MonitorFunctionRole").keySet()));
        Set<String> probe = new TreeSet<>();
        probeCases().forEach(p -> probe.addAll(statements(deployed(p), "MonitorFunctionRole").keySet()));

        assertThat(home).contains("StartAlertWorkflows", "StartApprovedExecutions");
        assertThat(probe).isEqualTo(home);
    }

    /** The same code and runtime settings as the home monitor, and the same variables but HOME_REGION. */
    @Test
    void probeRegion_runsTheHomeMonitorsCode_withItsSettings() {
        JsonNode home = deployed("quorum-home").resources().get("MonitorFunction").path("Properties");
        JsonNode probe = deployed("quorum-eu-west-1").resources().get("MonitorFunction").path("Properties");

        for (String property : List.of("Handler", "Runtime", "MemorySize", "Timeout", "Architectures", "SnapStart",
                "TracingConfig", "LoggingConfig")) {
            assertThat(home.has(property)).as(property).isTrue();
            assertThat(probe.path(property)).as(property).isEqualTo(home.path(property));
        }
        JsonNode homeEnv = home.path("Environment").path("Variables");
        JsonNode probeEnv = probe.path("Environment").path("Variables");
        assertThat(probeEnv.path("JAVA_TOOL_OPTIONS")).isEqualTo(homeEnv.path("JAVA_TOOL_OPTIONS"));
        List<String> expected = new ArrayList<>();
        homeEnv.fieldNames().forEachRemaining(expected::add);
        expected.add("HOME_REGION");
        List<String> names = new ArrayList<>();
        probeEnv.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        // The raw templates: `sam build -t probe-region.yaml` builds the same code with the Makefile's target.
        JsonNode rawHome = Template.committed().resource("MonitorFunction");
        JsonNode rawProbe = Template.probeRegion().resource("MonitorFunction");
        assertThat(rawProbe.path("Metadata")).isEqualTo(rawHome.path("Metadata"));
        assertThat(rawProbe.path("Properties").path("CodeUri")).isEqualTo(rawHome.path("Properties").path("CodeUri"));
    }

    /** Negative control: a table of this region, and a write on every resource, are reported. */
    @Test
    void aProbePolicyOnThisRegionsTable_orAWriteOnEveryResource_isReported() throws IOException {
        ObjectNode template = (ObjectNode) Template.JSON.readTree(out.resolve("quorum-eu-west-1.json").toFile());
        for (JsonNode policy : template.path("Resources").path("MonitorFunctionRole").path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if (statement.path("Sid").asText().equals("Control")) {
                    ((ObjectNode) statement).putObject("Resource").put("Fn::Sub",
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${HomeControlTable}");
                }
                if (statement.path("Sid").asText().equals("ArtifactsList")) {
                    ((ObjectNode) statement).put("Resource", "*").putArray("Action").add("s3:PutObject");
                }
            }
        }

        List<String> problems = homeRegionProblems(new Deployment(template, parameters("quorum-eu-west-1")), "us-east-1");

        assertThat(problems).contains(
                "Control: arn:aws:dynamodb:eu-west-1:123456789012:table/REPLACE-ControlTableName is not in the home region us-east-1",
                "ArtifactsList: s3:PutObject on *");
    }

    /**
     * What is wrong with the probe monitor's policy: an ARN of a service its clients reach in the home region that
     * names another region (or is not worked out to an ARN), a DynamoDB resource that is not an ARN of the home
     * region's tables, or a write action on "*".
     */
    private static List<String> homeRegionProblems(Deployment stack, String home) {
        List<String> problems = new ArrayList<>();
        JsonNode role = stack.resources().get("MonitorFunctionRole");
        for (JsonNode policy : role.path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                String sid = statement.path("Sid").asText(policy.path("PolicyName").asText());
                List<String> actions = strings(statement.path("Action"));
                JsonNode resource = statement.path("Resource");
                for (JsonNode r : resource.isArray() ? resource : Template.JSON.createArrayNode().add(resource)) {
                    if (r.isTextual() && r.asText().equals("*")) {
                        actions.stream().filter(a -> !a.matches("[a-z0-9-]+:(Get|List|Describe|Lookup)[A-Za-z]*"))
                                .forEach(a -> problems.add(sid + ": " + a + " on *"));
                        continue;
                    }
                    boolean homeService = actions.stream().anyMatch(a -> HOME_SERVICES.contains(a.substring(0, a.indexOf(':'))));
                    if (!r.isTextual()) {
                        if (homeService) {
                            problems.add(sid + ": " + r + " is not an ARN of the home region");
                        }
                        continue;
                    }
                    String[] arn = r.asText().split(":", 6);
                    if (arn.length == 6 && HOME_SERVICES.contains(arn[2]) && !arn[3].equals(home)) {
                        problems.add(sid + ": " + r.asText() + " is not in the home region " + home);
                    }
                    if (actions.stream().anyMatch(a -> a.startsWith("dynamodb:"))
                            && !r.asText().startsWith("arn:aws:dynamodb:" + home + ":123456789012:table/")) {
                        problems.add(sid + ": " + r.asText() + " is not a table of the home region");
                    }
                }
            }
        }
        return problems;
    }

    private static JsonNode environment(Deployment stack, String function) {
        return stack.resources().get(function).path("Properties").path("Environment").path("Variables");
    }

    /** A string or a list of strings. */
    private static List<String> strings(JsonNode node) {
        return node.isTextual() ? List.of(node.asText()) : texts(node);
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static String templateOf(String name) {
        try {
            return Files.readString(out.resolve("template-of").resolve(name + ".txt")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The region an environment of samconfig.toml deploys to (its global parameters' region). */
    private static String samconfigRegion(String env) {
        try {
            Matcher m = Pattern.compile("(?ms)^\\[" + Pattern.quote(env) + "\\.global\\.parameters]\\s*\\n(.*?)(?=^\\[|\\z)")
                    .matcher(Files.readString(Template.file().resolveSibling("samconfig.toml")));
            assertThat(m.find()).as("samconfig.toml has [%s.global.parameters]", env).isTrue();
            Matcher region = Pattern.compile("(?m)^region\\s*=\\s*\"([a-z0-9-]+)\"").matcher(m.group(1));
            assertThat(region.find()).as("[%s.global.parameters] names a region", env).isTrue();
            return region.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> statements(Deployment stack, String role) {
        Map<String, JsonNode> bySid = new LinkedHashMap<>();
        JsonNode resource = stack.resources().get(role);
        assertThat(resource).as(role).isNotNull();
        for (JsonNode policy : resource.path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if (statement.has("Sid")) {
                    bySid.put(statement.get("Sid").asText(), statement);
                }
            }
        }
        return bySid;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Deployment deployed(String name) {
        try {
            return new Deployment(Template.JSON.readTree(out.resolve(name + ".json").toFile()), parameters(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parameters(String name) {
        try {
            Map<String, String> values = new LinkedHashMap<>();
            Template.JSON.readTree(out.resolve("parameters").resolve(name + ".json").toFile()).properties()
                    .forEach(p -> values.put(p.getKey(), p.getValue().asText()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
