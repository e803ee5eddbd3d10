package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.testing.NodeEmulators;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second opinion on template.yaml from the npm package cfn-lint 1.9.7 (github.com/martysweet/cfn-lint, locked in
 * emulators/), which knows the CloudFormation and SAM specifications of 2019. Its false reports about what came
 * later are listed in {@link #KNOWN_FALSE} with the reason; anything else it reports fails the test.
 */
class CfnLintIT {

    /** A report cfn-lint gets wrong: where (a regex over its "Resource:" path), what, and why it is wrong. */
    record KnownFalse(String resource, String message, String why) {
    }

    private static final List<KnownFalse> KNOWN_FALSE = List.of(
            new KnownFalse("Globals > Function", "Invalid or unsupported SAM Globals property name: Architectures",
                    "SAM accepts Architectures in Globals since 2021; cfn-lint's SAM spec is older"),
            new KnownFalse("Globals > Function", "Invalid or unsupported SAM Globals property name: SnapStart",
                    "SAM accepts SnapStart in Globals since 2022"),
            new KnownFalse("Globals > Function", "Invalid or unsupported SAM Globals property name: LoggingConfig",
                    "SAM accepts LoggingConfig in Globals since 2023"),
            new KnownFalse("Globals > Function > Tags > stage", "Intrinsic function Ref is not supported here",
                    "SAM copies the Globals into each function before CloudFormation resolves the Ref to the Stage parameter"),
            new KnownFalse("Conditions > AgentExecution", "Unhandled Intrinsic Function Fn::And, this needs implementing.*",
                    "cfn-lint 1.9 does not implement Fn::And (its own words); the schema test checks the condition's shape"),
            new KnownFalse("Conditions > AgentExecution", "Condition did not resolve to a boolean value, got null",
                    "follows from the unimplemented Fn::And"),
            new KnownFalse("Resources > MonitorFunction > Properties > EventInvokeConfig|Resources > ExecutionFunction > Properties > EventInvokeConfig",
                    "EventInvokeConfig is not a valid property of AWS::Serverless::Function",
                    "SAM added EventInvokeConfig in late 2019, after cfn-lint's SAM spec"),
            new KnownFalse("Resources > ArtifactsBucket > Properties > OwnershipControls",
                    "OwnershipControls is not a valid property of AWS::S3::Bucket", "added to CloudFormation in 2020"),
            new KnownFalse("Resources > ArtifactsBucket > Properties > LifecycleConfiguration > Rules > \\d+ > NoncurrentVersionExpiration",
                    "NoncurrentVersionExpiration is not a valid property of AWS::S3::Bucket.Rule", "added in 2021"),
            new KnownFalse("Resources > ExecuteTopic > Properties > Tags", "Tags is not a valid property of AWS::SNS::Topic",
                    "SNS topic tags came to CloudFormation after cfn-lint's spec"),
            new KnownFalse("Resources > (Monitor|Execution)DeadLetterQueue > Properties > SqsManagedSseEnabled",
                    "SqsManagedSseEnabled is not a valid property of AWS::SQS::Queue", "added in 2021"),
            new KnownFalse("Resources > ReviewApi > Properties",
                    "Required property RouteSelectionExpression missing for type AWS::ApiGatewayV2::Api",
                    "required for WebSocket APIs only; cfn-lint's spec predates HTTP APIs (2020)"),
            new KnownFalse("Resources > ReviewApiStage > Properties",
                    "Required property DeploymentId missing for type AWS::ApiGatewayV2::Stage",
                    "an HTTP API stage with AutoDeploy has no deployment to name"),
            new KnownFalse("Resources > ReviewApiStage > Properties > AutoDeploy",
                    "AutoDeploy is not a valid property of AWS::ApiGatewayV2::Stage", "an HTTP API property (2020)"),
            new KnownFalse("Resources > ReviewIntegration > Properties > PayloadFormatVersion",
                    "PayloadFormatVersion is not a valid property of AWS::ApiGatewayV2::Integration", "an HTTP API property (2020)"),
            new KnownFalse("Resources > ReviewAuthorizer > Properties",
                    "Required property AuthorizerUri missing for type AWS::ApiGatewayV2::Authorizer",
                    "only REQUEST authorizers have a URI; this is a JWT authorizer (2020)"),
            new KnownFalse("Resources > ReviewAuthorizer > Properties > JwtConfiguration",
                    "JwtConfiguration is not a valid property of AWS::ApiGatewayV2::Authorizer", "JWT authorizers came in 2020"),
            new KnownFalse("Resources > ReviewApiInvokesApproval > Properties > SourceArn",
                    "Expecting an ARN, got 'arn:\\$\\{aws\\}:execute-api:.*",
                    "cfn-lint 1.9 leaves the ${...} markers in its own Fn::Sub result, then checks that text as an ARN"),
            new KnownFalse("Resources > ReviewUserPool > Properties > EnabledMfas",
                    "EnabledMfas is not a valid property of AWS::Cognito::UserPool", "added in 2020"),
            new KnownFalse("Resources > ReviewUserPoolClient > Properties > PreventUserExistenceErrors",
                    "PreventUserExistenceErrors is not a valid property of AWS::Cognito::UserPoolClient", "added in 2020"),
            new KnownFalse("Resources > ReviewUserPoolClient > Properties > (AllowedOAuthFlowsUserPoolClient|AllowedOAuthFlows|AllowedOAuthScopes|SupportedIdentityProviders|CallbackURLs)",
                    "(AllowedOAuthFlowsUserPoolClient|AllowedOAuthFlows|AllowedOAuthScopes|SupportedIdentityProviders|CallbackURLs) is not a valid property of AWS::Cognito::UserPoolClient",
                    "the OAuth settings of a user pool client came with the user pool domains, after cfn-lint's spec"),
            new KnownFalse("Resources > ReviewUserPoolClient > Properties > CallbackURLs",
                    "Fn::If does not allow Fn::Sub as a nested function within an array",
                    "CloudFormation resolves a Fn::Sub inside a list that Fn::If returns; cfn-lint 1.9 does not"),
            new KnownFalse("Rules > RecordNamesWithZones > (RuleCondition|Assertions > 0 > Assert)",
                    "Intrinsic function Fn::Not is not supported here",
                    "Fn::Not is one of the rule functions of CloudFormation's Rules section; cfn-lint 1.9 does not know Rules"));

    /** Cognito types cfn-lint 1.9's spec lacks, linted as custom resources like the Bedrock ones. */
    private static final List<String> LATER_COGNITO_TYPES = List.of("AWS::Cognito::UserPoolResourceServer",
            "AWS::Cognito::UserPoolDomain");

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");
    private static final Pattern REPORT = Pattern.compile("^Resource: (.*)\\nMessage: (.*)$", Pattern.MULTILINE);

    @Test
    void cfnLint_reportsNothingButTheKnownFalseErrors(@TempDir Path dir) throws Exception {
        Template template = Template.committed();

        List<String> unexpected = unexpected(lint(template, dir));

        assertThat(unexpected).as("cfn-lint reports on template.yaml that are not listed in KNOWN_FALSE").isEmpty();
    }

    @Test
    void cfnLint_reportsAPropertyItKnowsIsWrong(@TempDir Path dir) throws Exception {
        Template broken = Template.committed();
        ((ObjectNode) broken.resource("ControlTable").get("Properties")).put("BillingMod", "PAY_PER_REQUEST");

        List<String> unexpected = unexpected(lint(broken, dir));

        assertThat(unexpected).containsExactly(
                "Resources > ControlTable > Properties > BillingMod: BillingMod is not a valid property of AWS::DynamoDB::Table");
    }

    /**
     * cfn-lint 1.9 cannot read the {@code !Condition} tag and stops at the first resource type its spec lacks, so it
     * gets the template as JSON in long form with the Bedrock agent resources (and the Cognito types of
     * {@link #LATER_COGNITO_TYPES}) as custom resources; their
     * properties are checked by {@link TemplateSchemaTest}.
     */
    private static String lint(Template template, Path dir) throws IOException, InterruptedException {
        for (JsonNode resource : template.resources().values()) {
            String type = resource.path("Type").asText();
            if (type.startsWith("AWS::Bedrock::") || LATER_COGNITO_TYPES.contains(type)) {
                ((ObjectNode) resource).put("Type", "Custom::" + type.substring(type.lastIndexOf(':') + 1));
                ((ObjectNode) resource.path("Properties")).put("ServiceToken", "arn:aws:lambda:eu-west-1:123456789012:function:none");
            }
        }
        Path file = dir.resolve("template.json");
        Files.writeString(file, template.toJson());
        Path cli = NodeEmulators.folder().resolve("node_modules/cfn-lint/lib/index.js");
        Process process = new ProcessBuilder("node", cli.toString(), "validate", file.toString(), "--verbose")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cfn-lint did not finish in 120 s:\n" + output);
        }
        output = ANSI.matcher(output).replaceAll("");
        // It exits 1 both for an invalid template and for one it could not read; only the first prints its counts.
        if (!output.contains(" crit\n")) {
            throw new AssertionError("cfn-lint could not check the template (exit " + process.exitValue() + "):\n" + output);
        }
        return output;
    }

    private static List<String> unexpected(String output) {
        List<String> out = new ArrayList<>();
        Matcher m = REPORT.matcher(output);
        while (m.find()) {
            String resource = m.group(1).strip();
            String message = m.group(2).strip();
            boolean known = KNOWN_FALSE.stream().anyMatch(k -> resource.matches(k.resource()) && message.matches(k.message()));
            if (!known) {
                out.add(resource + ": " + message);
            }
        }
        return out;
    }
}
