package dev.cloudops.metrics.emf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The structure the CloudWatch embedded metric format specification requires of a log event, checked
 * rule by rule: the violations of one line, empty when CloudWatch would extract its metrics.
 */
final class EmfSpecification {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The units of MetricDatum, which MetricDefinition.Unit must be one of. */
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    private static final Set<String> DIRECTIVE_MEMBERS = Set.of("Namespace", "Dimensions", "Metrics");
    private static final Set<String> DEFINITION_MEMBERS = Set.of("Name", "Unit", "StorageResolution");
    private static final int MAX_EVENT_BYTES = 256 * 1024;

    private EmfSpecification() {
    }

    static List<String> violations(String line) {
        List<String> problems = new ArrayList<>();
        if (line.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            problems.add("the event is larger than a log event may be");
        }
        JsonNode root;
        try {
            // The message is one JSON object with nothing before or after it.
            root = JSON.readTree(line);
            if (!line.startsWith("{") || !line.endsWith("}")) {
                problems.add("the message has data around the JSON object");
            }
        } catch (JsonProcessingException e) {
            problems.add("not JSON: " + e.getOriginalMessage());
            return problems;
        }
        if (root == null || !root.isObject()) {
            problems.add("the root is not an object");
            return problems;
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            problems.add("the root has no _aws metadata object");
            return problems;
        }
        JsonNode timestamp = aws.get("Timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber() || timestamp.asLong() < 0) {
            problems.add("_aws.Timestamp must be a number of milliseconds since the epoch");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            problems.add("_aws.CloudWatchMetrics must be an array of MetricDirective objects");
            return problems;
        }
        for (JsonNode directive : directives) {
            directive(root, directive, problems);
        }
        return problems;
    }

    private static void directive(JsonNode root, JsonNode directive, List<String> problems) {
        if (!directive.isObject()) {
            problems.add("a MetricDirective must be an object");
            return;
        }
        extraMembers(directive, DIRECTIVE_MEMBERS, "MetricDirective", problems);
        JsonNode namespace = directive.get("Namespace");
        if (namespace == null || !namespace.isTextual() || namespace.asText().isEmpty()
                || namespace.asText().length() > 255) {
            problems.add("MetricDirective.Namespace must be a string of 1-255 characters");
        }
        JsonNode sets = directive.get("Dimensions");
        if (sets == null || !sets.isArray()) {
            problems.add("MetricDirective.Dimensions must be an array of DimensionSet arrays");
        } else {
            for (JsonNode set : sets) {
                if (!set.isArray()) {
                    problems.add("a DimensionSet must be an array of strings");
                    continue;
                }
                if (set.size() > 30) {
                    problems.add("a DimensionSet must not have more than 30 dimension keys");
                }
                for (JsonNode key : set) {
                    if (!key.isTextual()) {
                        problems.add("a DimensionSet must contain only strings");
                    } else if (root.get(key.asText()) == null || !root.get(key.asText()).isTextual()) {
                        problems.add("dimension " + key.asText() + " must be a member of the root with a string value");
                    }
                }
            }
        }
        JsonNode metrics = directive.get("Metrics");
        if (metrics == null || !metrics.isArray()) {
            problems.add("MetricDirective.Metrics must be an array of MetricDefinition objects");
            return;
        }
        if (metrics.size() > 100) {
            problems.add("MetricDirective.Metrics must not have more than 100 definitions");
        }
        for (JsonNode definition : metrics) {
            definition(root, definition, problems);
        }
    }

    private static void definition(JsonNode root, JsonNode definition, List<String> problems) {
        if (!definition.isObject()) {
            problems.add("a MetricDefinition must be an object");
            return;
        }
        extraMembers(definition, DEFINITION_MEMBERS, "MetricDefinition", problems);
        JsonNode name = definition.get("Name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            problems.add("MetricDefinition.Name is required and must be a string");
            return;
        }
        JsonNode unit = definition.get("Unit");
        if (unit != null && (!unit.isTextual() || !UNITS.contains(unit.asText()))) {
            problems.add("MetricDefinition.Unit must be a CloudWatch unit, was " + unit);
        }
        JsonNode resolution = definition.get("StorageResolution");
        if (resolution != null && !(resolution.isInt() && (resolution.asInt() == 1 || resolution.asInt() == 60))) {
            problems.add("MetricDefinition.StorageResolution must be 1 or 60");
        }
        JsonNode value = root.get(name.asText());
        boolean numbers = value != null && (value.isNumber() || value.isArray() && value.size() <= 100
                && iterable(value.elements()).stream().allMatch(JsonNode::isNumber));
        if (!numbers) {
            problems.add("metric " + name.asText() + " must be a member of the root with a number (or up to 100 numbers)");
        }
    }

    private static void extraMembers(JsonNode object, Set<String> allowed, String what, List<String> problems) {
        object.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                problems.add(what + " must not have the member " + field);
            }
        });
    }

    private static List<JsonNode> iterable(Iterator<JsonNode> elements) {
        List<JsonNode> list = new ArrayList<>();
        elements.forEachRemaining(list::add);
        return list;
    }
}
