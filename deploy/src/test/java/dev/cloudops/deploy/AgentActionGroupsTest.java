package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Bedrock agent's action groups in template.yaml carry exactly the functions of common's
 * {@code bedrock/read-tools.functions.json} and {@code bedrock/write-tools.functions.json}: names, parameters,
 * types and required flags (what the code answers and checks).
 */
class AgentActionGroupsTest {

    private static final Map<String, String> GROUPS = Map.of(
            "read-tools", "bedrock/read-tools.functions.json",
            "write-tools", "bedrock/write-tools.functions.json");

    @Test
    void actionGroups_matchTheCommittedFunctionSchemas() {
        Template template = Template.committed();

        List<String> problems = differences(template);

        assertThat(problems).as("action groups of BedrockAgent against common/src/main/resources/bedrock").isEmpty();
    }

    @Test
    void aRenamedParameterOrAChangedRequiredFlag_isReported() {
        Template broken = Template.committed();
        for (JsonNode group : broken.resource("BedrockAgent").path("Properties").path("ActionGroups")) {
            if (group.path("ActionGroupName").asText().equals("write-tools")) {
                ObjectNode parameters = (ObjectNode) group.path("FunctionSchema").path("Functions").get(0)
                        .path("Parameters");
                parameters.set("stepid", parameters.remove("step_id"));
                ((ObjectNode) parameters.path("record_set")).put("Required", false);
            }
        }

        List<String> problems = differences(broken);

        assertThat(problems).hasSize(1).first().asString()
                .contains("write-tools", "route53_upsert_record", "step_id", "stepid", "record_set=string/optional");
    }

    private static List<String> differences(Template template) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> groups = new TreeMap<>();
        template.resource("BedrockAgent").path("Properties").path("ActionGroups")
                .forEach(g -> groups.put(g.path("ActionGroupName").asText(), g));
        if (!groups.keySet().equals(GROUPS.keySet())) {
            problems.add("action groups are " + groups.keySet() + ", expected " + GROUPS.keySet());
        }
        GROUPS.forEach((name, resource) -> {
            Map<String, String> expected = fromCode(resource);
            Map<String, String> actual = fromTemplate(groups.getOrDefault(name, Template.JSON.createObjectNode()));
            TreeSet<String> functions = new TreeSet<>(expected.keySet());
            functions.addAll(actual.keySet());
            for (String function : functions) {
                String inTemplate = actual.getOrDefault(function, "absent");
                String inCode = expected.getOrDefault(function, "absent");
                if (!inTemplate.equals(inCode)) {
                    problems.add(name + "/" + function + ": template has " + inTemplate + ", " + resource + " has " + inCode);
                }
            }
        });
        return problems;
    }

    /** Function name to its parameters, e.g. {@code {bucket=string/required}}. */
    private static Map<String, String> fromTemplate(JsonNode group) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode f : group.path("FunctionSchema").path("Functions")) {
            Map<String, String> parameters = new TreeMap<>();
            f.path("Parameters").properties().forEach(p -> parameters.put(p.getKey(),
                    p.getValue().path("Type").asText() + "/" + (p.getValue().path("Required").asBoolean() ? "required" : "optional")));
            out.put(f.path("Name").asText(), parameters.toString());
        }
        return out;
    }

    private static Map<String, String> fromCode(String resource) {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = AgentActionGroupsTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (common's resources)");
            }
            for (JsonNode f : Template.JSON.readTree(in).path("functions")) {
                Map<String, String> parameters = new TreeMap<>();
                f.path("parameters").properties().forEach(p -> parameters.put(p.getKey(),
                        p.getValue().path("type").asText() + "/" + (p.getValue().path("required").asBoolean() ? "required" : "optional")));
                out.put(f.path("name").asText(), parameters.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
