package dev.cloudops.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PlanJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // The hash of PlanFixtures.everyAction(). It may change only when the plan format changes on purpose:
    // a different value on another JVM or run would mean approved plans stop matching.
    private static final String EVERY_ACTION_HASH = "fa6f933be7f41931a10bd2dbec38e7fce312bbb1d7a5715aee07b8494be62fc9";

    @Test
    void roundTrip_keepsEveryActionOfTheCatalog() {
        Plan plan = PlanFixtures.everyAction();

        PlanParse parsed = PlanJson.parse(PlanJson.toJson(plan).toPrettyString());

        assertThat(parsed).isInstanceOfSatisfying(PlanParse.Valid.class, valid -> {
            assertThat(valid.plan()).isEqualTo(plan);
            assertThat(valid.canonicalJson()).isEqualTo(PlanJson.canonical(plan));
            assertThat(valid.planHash()).isEqualTo(PlanJson.hash(plan));
        });
        List<String> used = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            used.add(step.action().name());
            if (step.inverse() instanceof Inverse.Undo undo) {
                used.add(undo.action().name());
            }
        }
        assertThat(used).containsAll(List.of("route53.upsert_record", "route53.delete_record",
                "cloudfront.set_enabled", "cloudfront.create_invalidation", "cloudfront.set_origin",
                "cloudfront.set_viewer_certificate", "acm.request_certificate", "manual.step"));
        assertThat(plan.risk()).isEqualTo(Risk.HIGH);
        assertThat(plan.executable()).isTrue();
    }

    @Test
    void canonical_ofAnyTree_ignoresKeyOrderAndNumberWidth() throws Exception {
        ObjectNode stepParameters = (ObjectNode) PlanJson.toJson(PlanFixtures.everyAction()).at("/steps/6/parameters");
        String asked = "{\"values\": [\"_98d0e76f4be8a3ea1d4cf1a3f4b3f1a1.mzlfeqexyx.acm-validations.aws.\"], \"ttl\": 300,"
                + " \"type\": \"CNAME\", \"name\": \"_3639ac514e785e898d2646601fa951d5.shop.example.com\","
                + " \"hosted_zone_id\": \"Z0123456789ABCDEFGHIJ\"}";

        String canonical = PlanJson.canonical(JSON.readTree(asked));

        assertThat(canonical).isEqualTo(PlanJson.canonical(stepParameters));
        assertThat(canonical).startsWith("{\"hosted_zone_id\":").doesNotContain(" ");
        assertThat(PlanJson.canonical(JSON.readTree(asked.replace("300", "301"))))
                .isNotEqualTo(PlanJson.canonical(stepParameters));
    }

    @Test
    void hash_isTheSameOnEveryRunAndJvm_andIgnoresKeyOrderAndWhiteSpace() throws Exception {
        Plan plan = PlanFixtures.everyAction();
        ObjectNode shuffled = (ObjectNode) reversedKeys(PlanJson.toJson(plan));

        PlanParse reparsed = PlanJson.parse(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shuffled));

        assertThat(PlanJson.hash(plan)).isEqualTo(EVERY_ACTION_HASH).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(((PlanParse.Valid) reparsed).planHash()).isEqualTo(EVERY_ACTION_HASH);
        assertThat(PlanJson.canonical(plan)).startsWith("{\"steps\":[{\"action\":\"route53.upsert_record\",")
                .doesNotContain(" \n");
    }

    @Test
    void hash_changesWhenAnyParameterChanges() {
        Plan plan = PlanFixtures.everyAction();
        List<PlanStep> steps = new ArrayList<>(plan.steps());
        PlanStep s2 = steps.get(1);
        steps.set(1, new PlanStep(s2.id(), new Action.SetEnabled(PlanFixtures.DISTRIBUTION, false), s2.precondition(),
                s2.inverse(), s2.risk(), s2.permission()));

        assertThat(PlanJson.hash(new Plan(plan.summary(), steps))).isNotEqualTo(PlanJson.hash(plan));
    }

    @Test
    void parse_rejectsAnActionOutsideTheCatalog() {
        assertInvalid(step -> step.put("action", "route53.delete_hosted_zone"), "$.steps[0].action");
    }

    @Test
    void parse_rejectsAnExecutableStepWithoutPreconditionOrPermission() {
        assertInvalid(step -> step.remove("precondition"), "precondition");
        assertInvalid(step -> step.remove("permission"), "permission");
    }

    @Test
    void parse_rejectsParametersOfTheWrongType() {
        assertInvalid(step -> {
            step.put("action", "cloudfront.set_enabled");
            ObjectNode parameters = step.putObject("parameters");
            parameters.put("distribution_id", PlanFixtures.DISTRIBUTION);
            parameters.put("enabled", "yes");
        }, "$.steps[0].parameters.enabled");
    }

    @Test
    void parse_rejectsParametersThatBelongToAnotherAction() {
        assertInvalid(step -> step.put("action", "cloudfront.create_invalidation"), "$.steps[0].parameters");
    }

    @Test
    void parse_rejectsARecordWithBothAliasAndValues_andUnknownFields() {
        assertInvalid(step -> ((ObjectNode) step.get("parameters")).putArray("values").add("192.0.2.1"),
                "$.steps[0].parameters");
        assertInvalid(step -> step.put("run_as", "root"), "run_as");
    }

    @Test
    void parse_rejectsAnUndoOutsideTheCatalog_andDuplicateStepIds() {
        assertInvalid(step -> ((ObjectNode) step.get("inverse")).put("action", "iam.delete_role"), "inverse");
        ObjectNode plan = PlanJson.toJson(PlanFixtures.everyAction());
        ((ObjectNode) plan.get("steps").get(1)).put("id", "S1");
        assertThat(PlanJson.parse(plan.toString())).isInstanceOfSatisfying(PlanParse.Invalid.class,
                invalid -> assertThat(invalid.errors()).contains("$.steps: step id S1 is used more than once"));
    }

    @Test
    void parse_acceptsHostedZoneIdsAsRoute53ReturnsThem_andOnlyTheRecordTypesTheRoleMayChange() {
        for (String zone : List.of("Z0123456789ABCDEFGHIJ", "/hostedzone/Z0123456789ABCDEFGHIJ", "04321ABCDEFG")) {
            ObjectNode plan = PlanJson.toJson(PlanFixtures.everyAction());
            ((ObjectNode) plan.get("steps").get(0).get("parameters")).put("hosted_zone_id", zone);

            assertThat(PlanJson.parse(plan.toString())).as(zone).isInstanceOf(PlanParse.Valid.class);
        }
        assertInvalid(step -> ((ObjectNode) step.get("parameters")).put("hosted_zone_id", "*"), "hosted_zone_id");
        assertInvalid(step -> ((ObjectNode) step.get("parameters")).put("type", "TXT"), "type");
    }

    @Test
    void parse_reportsTextThatIsNotJson_withoutThrowing() {
        assertThat(PlanJson.parse("Here is my plan: delete the zone")).isInstanceOfSatisfying(PlanParse.Invalid.class,
                invalid -> assertThat(invalid.errors()).singleElement().asString().startsWith("not JSON"));
        assertThat(PlanJson.parse("")).isInstanceOf(PlanParse.Invalid.class);
    }

    private static void assertInvalid(Consumer<ObjectNode> breakFirstStep, String expectedInError) {
        ObjectNode plan = PlanJson.toJson(PlanFixtures.everyAction());
        breakFirstStep.accept((ObjectNode) plan.get("steps").get(0));

        PlanParse parsed = PlanJson.parse(plan.toString());

        assertThat(parsed).isInstanceOfSatisfying(PlanParse.Invalid.class,
                invalid -> assertThat(invalid.errors()).anySatisfy(e -> assertThat(e).contains(expectedInError)));
    }

    private static com.fasterxml.jackson.databind.JsonNode reversedKeys(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            Collections.reverse(fields);
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(e -> out.set(e.getKey(), reversedKeys(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(item -> out.add(reversedKeys(item)));
            return out;
        }
        return node;
    }
}
