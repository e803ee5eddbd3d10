package dev.cloudops.execution.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.agent.bedrock.PromptBuilder;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WriteToolsTest {

    /** Bedrock's quota of parameters per action-group function. */
    private static final int BEDROCK_MAX_PARAMETERS = 5;

    private final WriteTools tools = WriteTools.load();

    @Test
    void schema_listsOneFunctionPerExecutableAction_ofTheSealedCatalog() {
        List<PlanStep> steps = AgentCalls.everyAction();

        Set<Class<?>> sampled = steps.stream().map(s -> s.action().getClass()).collect(Collectors.toSet());
        Set<String> expected = steps.stream().filter(s -> s.action().executable())
                .map(s -> PromptBuilder.writeFunction(s.action().name())).collect(Collectors.toSet());

        assertThat(sampled).as("the samples cover the whole catalog").containsExactlyInAnyOrder(
                Action.class.getPermittedSubclasses());
        assertThat(tools.functions().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tools.functions().keySet()).allMatch(name -> name.matches("^[0-9a-zA-Z_-]{1,64}$"));
    }

    @Test
    void schema_keepsWithinBedrocksLimits_andAsksEveryFunctionForTheStepId() throws Exception {
        JsonNode schema;
        try (InputStream in = WriteTools.class.getResourceAsStream(WriteTools.RESOURCE)) {
            schema = new ObjectMapper().readTree(in);
        }

        assertThat(schema.get("functions")).hasSize(7).allSatisfy(f -> {
            assertThat(f.get("parameters").size()).as(f.get("name").asText()).isBetween(1, BEDROCK_MAX_PARAMETERS);
            assertThat(f.get("description").asText()).hasSizeBetween(1, 1200);
            assertThat(f.at("/parameters/step_id/required").asBoolean()).isTrue();
            f.get("parameters").forEach(p -> {
                assertThat(p.get("type").asText()).isIn("string", "number", "integer", "boolean", "array");
                assertThat(p.get("description").asText()).hasSizeBetween(1, 500);
            });
        });
    }

    @Test
    void translate_givesBackTheStepsWireParameters_forEveryAction() {
        for (PlanStep step : AgentCalls.everyAction()) {
            if (!step.action().executable()) {
                continue;
            }

            WriteTools.Request request = tools.translate(AgentCalls.function(step), AgentCalls.parameters(step));

            JsonNode approved = PlanJson.toJson(new Plan(null, List.of(step))).at("/steps/0/parameters");
            assertThat(request).as(step.action().name()).isInstanceOfSatisfying(WriteTools.Call.class, call -> {
                assertThat(call.action()).isEqualTo(step.action().name());
                assertThat(call.stepId()).isEqualTo(step.id());
                assertThat(PlanJson.canonical(call.parameters())).isEqualTo(PlanJson.canonical(approved));
            });
        }
    }

    @Test
    void translate_refusesAFunction_whenItIsNoWriteTool() {
        WriteTools.Request request = tools.translate("route53_delete_hosted_zone",
                Map.of("step_id", "S1", "hosted_zone_id", AgentCalls.ZONE));

        assertThat(request).isEqualTo(new WriteTools.Unusable("route53_delete_hosted_zone is not a write tool of the catalog"));
    }

    @Test
    void translate_refusesACall_whenTheStepIdIsMissing() {
        Map<String, String> parameters = new HashMap<>(AgentCalls.parameters(AgentCalls.everyAction().get(2)));
        parameters.remove("step_id");

        assertThat(tools.translate("cloudfront_set_enabled", parameters)).isEqualTo(new WriteTools.Unusable("no step_id"));
    }

    @Test
    void translate_refusesACall_whenAParameterIsUndeclaredOrMalformed() {
        assertThat(tools.translate("cloudfront_set_enabled",
                Map.of("step_id", "S3", "distribution_id", AgentCalls.DISTRIBUTION, "enabled", "true", "force", "yes")))
                .isEqualTo(new WriteTools.Unusable("cloudfront_set_enabled has no parameter force"));
        assertThat(tools.translate("cloudfront_set_enabled",
                Map.of("step_id", "S3", "distribution_id", AgentCalls.DISTRIBUTION, "enabled", "yes")))
                .isEqualTo(new WriteTools.Unusable("enabled is not true or false"));
        assertThat(tools.translate("route53_upsert_record", Map.of("step_id", "S1", "record_set", "{not json")))
                .isEqualTo(new WriteTools.Unusable("record_set is malformed"));
        assertThat(tools.translate("cloudfront_create_invalidation",
                Map.of("step_id", "S4", "distribution_id", AgentCalls.DISTRIBUTION, "paths", "/index.html")))
                .isInstanceOf(WriteTools.Unusable.class);
    }
}
