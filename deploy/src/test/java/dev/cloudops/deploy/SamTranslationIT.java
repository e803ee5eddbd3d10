package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * conditions switch off.
 */
class SamTranslationIT {

    /** Cases beyond samconfig.toml's environments: the Bedrock agent, and every write scoped to named resources. */
    private static final Map<String, String> EXTRA_CASES = Map.of(
            "with-agent", "Stage=dev BedrockAgentMode=create ExecutionMode=agent",
            "with-scoped-writes", "Stage=dev AllowedHostedZoneIds=Z0123456789ABC,Z0ZONE2 "
                    + "AllowedRecordNames=www.example.com,api.example.com AllowedDistributionIds=E1ABCDEF,E2GHIJKL "
                    + "OriginBucketNames=site-a,site-b.example.com");
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
        return Stream.concat(environments().stream(), EXTRA_CASES.keySet().stream());
    }

    @Test
    void everySamconfigEnvironment_isTranslated() {
        assertThat(environments()).contains("default", "prod");
        assertThat(environments()).allSatisfy(env -> assertThat(out.resolve(env + ".json")).isRegularFile());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void translation_passesCfnLint(String name) {
        assertThat(CfnLintIT.findings(Template.file().getParent(), out.resolve(name + ".json")))
                .as("cfn-lint findings on the %s translation", name).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("cases")
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
    @MethodSource("cases")
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
        assertThat(cases().map(n -> "true".equals(parameters(n).get("EnableCognito")))).contains(true, false);
    }

    @ParameterizedTest
    @MethodSource("cases")
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
    @MethodSource("cases")
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
    @MethodSource("cases")
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
        assertThat(environments().stream().map(n -> parameters(n).getOrDefault("Orchestration", "direct")))
                .contains("direct", "stepfunctions");
    }

    @Test
    void writes_areScopedToTheNamedZonesDistributionsAndBuckets_oneArnEach() {
        Deployment stack = deployed("with-scoped-writes");
        Map<String, JsonNode> execution = statements(stack, "ExecutionRole");
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

        assertThat(statements(stack, "ExecutionRole")).doesNotContainKeys("RecordChangesInAllowedZones", "AllowedDistributions");
        assertThat(statements(stack, "MonitorFunctionRole")).doesNotContainKey("OriginBucketsReadOnly");
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
