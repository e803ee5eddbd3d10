package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * template.yaml and probe-region.yaml as the real cfn-lint (aws-cloudformation/cfn-lint 1.x, pinned in requirements-dev.txt)
 * judges it: no error and no warning. It runs in the checkout's root, so a {@code .cfnlintrc} there
 * (where each ignored rule must say why) is the only way to silence a rule. cfn-lint applies the SAM
 * transform itself before it checks the resources; {@link SamTranslationIT} lints each environment's
 * translation as well.
 */
class CfnLintIT {

    @BeforeAll
    static void linterInstalled() {
        Python.require("cfnlint");
    }

    @Test
    void template_hasNoErrorsOrWarnings() {
        Path template = Template.file();

        List<String> findings = findings(template.getParent(), template);

        assertThat(findings).as("cfn-lint findings on template.yaml").isEmpty();
    }

    @Test
    void probeRegionTemplate_hasNoErrorsOrWarnings() {
        Path template = Template.probeRegionFile();

        List<String> findings = findings(template.getParent(), template);

        assertThat(findings).as("cfn-lint findings on probe-region.yaml").isEmpty();
    }

    /** The probe-region template's policy is checked as closely as the home one's: a wrong ARN is reported. */
    @Test
    void aMalformedArnInTheProbeRegionPolicy_isReported(@TempDir Path dir) throws IOException {
        Template broken = Template.probeRegion();
        for (JsonNode statement : broken.resource("MonitorFunction").path("Properties").path("Policies").get(0)
                .path("Statement")) {
            if (statement.path("Sid").asText().equals("Control")) {
                ((ObjectNode) statement).put("Resource", "dynamodb:table/control");
            }
        }

        List<String> findings = findings(dir, write(broken, dir));

        // cfn-lint checks the SAM-made role, where the function's own policy follows SAM's two queue policies.
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(
                "E3510 Resources/MonitorFunctionRole/Properties/Policies/2/PolicyDocument/Statement/1/Resource:"));
    }

    @Test
    void aMisspelledProperty_isReported(@TempDir Path dir) throws IOException {
        Template broken = Template.committed();
        ObjectNode properties = (ObjectNode) broken.resource("ControlTable").get("Properties");
        properties.set("BillingMod", properties.remove("BillingMode"));

        List<String> findings = findings(dir, write(broken, dir));

        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("E3002 Resources/ControlTable/Properties/BillingMod:"));
    }

    /** The defect that brought the real linter in: CloudFormation rejects a Fn::Join whose delimiter is a function. */
    @Test
    void aJoinWithAFunctionAsDelimiter_isReported(@TempDir Path dir) throws IOException {
        Template broken = Template.committed();
        ObjectNode join = Template.JSON.createObjectNode();
        ArrayNode arguments = join.putArray("Fn::Join");
        arguments.addObject().put("Fn::Sub", ",arn:${AWS::Partition}:s3:::");
        arguments.addArray().add("a").add("b");
        ((ObjectNode) broken.resource("ExecuteTopic").get("Properties")).set("DisplayName", join);

        List<String> findings = findings(dir, write(broken, dir));

        // The rule id depends on where the Join sits (E1018 in a SAM resource's policy, E1022 here); the finding does not.
        assertThat(findings).anySatisfy(f -> assertThat(f).matches(
                "E10\\d\\d Resources/ExecuteTopic/Properties/DisplayName/Fn::Join/0: .* is not of type 'string' .*"));
    }

    private static Path write(Template template, Path dir) throws IOException {
        Path file = dir.resolve("template.json");
        Files.writeString(file, template.toJson());
        return file;
    }

    /** Every finding as "RULE Path/To/Node: message"; fails if cfn-lint itself could not run. */
    static List<String> findings(Path workingDir, Path template) {
        Python.Result result = Python.cfnLint(workingDir, "--format", "json", "--", template.toString());
        JsonNode reports;
        try {
            reports = Template.JSON.readTree(result.stdout());
        } catch (IOException e) {
            reports = null;
        }
        // cfn-lint exits with a bit mask of the levels it found (2 error, 4 warning, 8 info); 1 means it failed.
        if (reports == null || !reports.isArray() || result.exitCode() == 1) {
            throw new AssertionError("cfn-lint could not check " + template + " (exit " + result.exitCode() + "):\n"
                    + result.output());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode report : reports) {
            List<String> path = new ArrayList<>();
            report.path("Location").path("Path").forEach(p -> path.add(p.asText()));
            out.add(report.path("Rule").path("Id").asText() + " " + String.join("/", path) + ": "
                    + report.path("Message").asText() + " (line " + report.path("Location").path("Start")
                    .path("LineNumber").asInt() + ")");
        }
        return out;
    }
}
