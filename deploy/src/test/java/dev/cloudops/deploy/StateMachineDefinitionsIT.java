package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machines of statemachines/ as the real cfn-lint judges them. template.yaml names them by
 * DefinitionUri (sam deploy uploads them), which the linter cannot read; so each definition is rendered as
 * CloudFormation renders it (its DefinitionSubstitutions, for the aws partition) into an
 * AWS::StepFunctions::StateMachine {@code Definition}, where cfn-lint checks the ASL (rule E3601).
 */
class StateMachineDefinitionsIT {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");
    /** What CloudFormation puts in for each substitution, for one deployment of stage dev. */
    private static final Map<String, String> RENDERED = Map.of(
            "Partition", "aws",
            "MonitorFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:cloudops-monitor:live",
            "ApprovalFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:cloudops-approval:live",
            "ExecutionFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:cloudops-execution:live",
            "TargetsBucket", "cloudops-agent-dev-artifactsbucket-1a2b3c4d5e6f",
            "TargetsKey", "targets/fleet.json");
    private static final Map<String, String> MACHINES = Map.of(
            "AlertWorkflow", "statemachines/alert-workflow.asl.json",
            "ProbeFleet", "statemachines/probe-fleet.asl.json");

    @BeforeAll
    static void linterInstalled() {
        Python.require("cfnlint");
    }

    @Test
    void everyStateMachine_isInTheTemplate_withASubstitutionForEachOfItsPlaceholders() throws IOException {
        Template template = Template.committed();

        for (Map.Entry<String, String> machine : MACHINES.entrySet()) {
            JsonNode properties = template.resource(machine.getKey()).path("Properties");
            assertThat(properties.path("DefinitionUri").asText()).isEqualTo(machine.getValue());
            Set<String> substituted = new TreeSet<>();
            properties.path("DefinitionSubstitutions").fieldNames().forEachRemaining(substituted::add);
            assertThat(placeholders(machine.getValue())).as(machine.getValue()).isEqualTo(substituted);
            assertThat(RENDERED.keySet()).containsAll(substituted);
        }
    }

    @Test
    void renderedDefinitions_haveNoCfnLintFindings(@TempDir Path dir) throws IOException {
        List<String> findings = CfnLintIT.findings(dir, write(dir, UnaryOperator.identity()));

        assertThat(findings).as("cfn-lint findings on the rendered state machines").isEmpty();
    }

    @Test
    void aStateOfAnUnknownType_isReported(@TempDir Path dir) throws IOException {
        Path broken = write(dir, definitions -> {
            ((ObjectNode) definitions.path("AlertWorkflow").path("States").path("Ready")).put("Type", "Choise");
            return definitions;
        });

        assertThat(CfnLintIT.findings(dir, broken)).anySatisfy(f -> assertThat(f).startsWith("E3601").contains("Choise"));
    }

    @Test
    void aTaskWithoutAResource_isReported(@TempDir Path dir) throws IOException {
        Path broken = write(dir, definitions -> {
            ((ObjectNode) definitions.path("ProbeFleet").path("States").path("ProbeShards").path("ItemProcessor")
                    .path("States").path("ProbeShard")).remove("Resource");
            return definitions;
        });

        assertThat(CfnLintIT.findings(dir, broken)).anySatisfy(f -> assertThat(f).startsWith("E3601").contains("Resource"));
    }

    /** The placeholders a definition file uses. */
    private static Set<String> placeholders(String file) throws IOException {
        Matcher m = PLACEHOLDER.matcher(Files.readString(Template.file().resolveSibling(file)));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** A CloudFormation template with each machine's rendered definition, changed by {@code edit} (by logical id). */
    private static Path write(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
        ObjectNode definitions = Template.JSON.createObjectNode();
        for (Map.Entry<String, String> machine : MACHINES.entrySet()) {
            String text = Files.readString(Template.file().resolveSibling(machine.getValue()));
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder rendered = new StringBuilder();
            Set<String> unknown = new LinkedHashSet<>();
            while (m.find()) {
                String value = RENDERED.get(m.group(1));
                if (value == null) {
                    unknown.add(m.group(1));
                    value = m.group();
                }
                m.appendReplacement(rendered, Matcher.quoteReplacement(value));
            }
            m.appendTail(rendered);
            assertThat(unknown).as("placeholders of " + machine.getValue() + " with no rendered value").isEmpty();
            definitions.set(machine.getKey(), Template.JSON.readTree(rendered.toString()));
        }
        ObjectNode edited = edit.apply(definitions);
        ObjectNode template = Template.JSON.createObjectNode();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        ObjectNode resources = template.putObject("Resources");
        edited.properties().forEach(machine -> {
            ObjectNode properties = resources.putObject(machine.getKey()).put("Type", "AWS::StepFunctions::StateMachine")
                    .putObject("Properties");
            properties.put("RoleArn", "arn:aws:iam::123456789012:role/cloudops-" + machine.getKey());
            properties.set("Definition", machine.getValue());
        });
        Path file = dir.resolve("state-machines.json");
        Template.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), template);
        return file;
    }
}
