package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.control.dynamodb.ControlTable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * The Alerts and Control tables of template.yaml have the keys, attribute definitions, indexes and TTL attribute
 * of {@link AlertsTable#createRequest} and {@link ControlTable#createRequest}, which the code and its emulator
 * tests use.
 */
class TablesTest {

    @Test
    void alertsTable_matchesTheCode() {
        Template template = Template.committed();

        List<String> problems = differences(template.resource("AlertsTable"), AlertsTable.createRequest("t"),
                AlertsTable.TTL);

        assertThat(problems).as("AlertsTable in template.yaml against AlertsTable.createRequest").isEmpty();
    }

    @Test
    void controlTable_matchesTheCode() {
        Template template = Template.committed();

        List<String> problems = differences(template.resource("ControlTable"), ControlTable.createRequest("t"),
                ControlTable.TTL);

        assertThat(problems).as("ControlTable in template.yaml against ControlTable.createRequest").isEmpty();
    }

    @Test
    void aChangedIndexKeyOrTtlAttribute_isReported() {
        Template broken = Template.committed();
        JsonNode alerts = broken.resource("AlertsTable").path("Properties");
        ((ObjectNode) alerts.path("GlobalSecondaryIndexes").get(0).path("KeySchema").get(1))
                .put("AttributeName", "created_at");
        ((ObjectNode) alerts.path("TimeToLiveSpecification")).put("AttributeName", "expires_at");

        List<String> problems = differences(broken.resource("AlertsTable"), AlertsTable.createRequest("t"),
                AlertsTable.TTL);

        assertThat(problems).anyMatch(p -> p.startsWith("GSIs:") && p.contains("created_at"))
                .anyMatch(p -> p.startsWith("TTL:") && p.contains("expires_at"));
    }

    private static List<String> differences(JsonNode resource, CreateTableRequest code, String ttl) {
        JsonNode p = resource.path("Properties");
        List<String> problems = new ArrayList<>();
        compare("key schema", keys(p.path("KeySchema")),
                code.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList().toString(),
                problems);
        TreeSet<String> attributes = new TreeSet<>();
        p.path("AttributeDefinitions").forEach(a -> attributes.add(a.path("AttributeName").asText() + ":"
                + a.path("AttributeType").asText()));
        compare("attribute definitions", attributes.toString(), new TreeSet<>(code.attributeDefinitions().stream()
                .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).toList()).toString(), problems);
        TreeMap<String, String> indexes = new TreeMap<>();
        p.path("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.path("IndexName").asText(),
                keys(i.path("KeySchema")) + " " + i.path("Projection").path("ProjectionType").asText()));
        TreeMap<String, String> codeIndexes = new TreeMap<>();
        code.globalSecondaryIndexes().forEach(i -> codeIndexes.put(i.indexName(), i.keySchema().stream()
                .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList() + " "
                + i.projection().projectionTypeAsString()));
        compare("GSIs", indexes.toString(), codeIndexes.toString(), problems);
        compare("billing mode", p.path("BillingMode").asText(), code.billingModeAsString(), problems);
        JsonNode timeToLive = p.path("TimeToLiveSpecification");
        compare("TTL", timeToLive.path("AttributeName").asText() + " enabled=" + timeToLive.path("Enabled").asBoolean(),
                ttl + " enabled=true", problems);
        return problems;
    }

    private static String keys(JsonNode keySchema) {
        List<String> out = new ArrayList<>();
        keySchema.forEach(k -> out.add(k.path("AttributeName").asText() + ":" + k.path("KeyType").asText()));
        return out.toString();
    }

    private static void compare(String what, String template, String code, List<String> problems) {
        if (!template.equals(code)) {
            problems.add(what + ": template has " + template + ", the code has " + code);
        }
    }
}
