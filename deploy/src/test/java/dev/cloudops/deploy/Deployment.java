package dev.cloudops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain CloudFormation template (SAM already translated) as CloudFormation would deploy it with given
 * parameter values: its conditions decided, the resources whose condition holds, and property values
 * with {@code Fn::If}, {@code AWS::NoValue} and the functions over parameters (Ref, Join, Split, Select)
 * worked out. References to resources and attributes stay as they are: they exist only in a real stack.
 */
final class Deployment {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> PSEUDO = Map.of("AWS::Region", "eu-west-1",
            "AWS::AccountId", "123456789012", "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com");

    private final JsonNode template;
    private final Map<String, JsonNode> parameters = new HashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();

    /** The template deployed with these parameter values over its defaults; an unknown name is refused. */
    Deployment(JsonNode template, Map<String, String> values) {
        this.template = template;
        JsonNode declared = template.path("Parameters");
        values.keySet().stream().filter(name -> !declared.has(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("the template has no parameter " + name);
        });
        declared.properties().forEach(p -> {
            JsonNode definition = p.getValue();
            String value = values.getOrDefault(p.getKey(), definition.path("Default").asText(null));
            if (value == null) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " has no default and no value");
            }
            parameters.put(p.getKey(), definition.path("Type").asText().equals("CommaDelimitedList")
                    ? list(List.of(value.split(",", -1))) : TextNode.valueOf(value));
        });
        PSEUDO.forEach((name, value) -> parameters.put(name, TextNode.valueOf(value)));
    }

    /** Whether the named condition holds. */
    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known == null) {
            JsonNode definition = template.path("Conditions").get(name);
            if (definition == null) {
                throw new IllegalArgumentException("the template has no condition " + name);
            }
            known = holds(definition);
            conditions.put(name, known);
        }
        return known;
    }

    /** The resources CloudFormation would create, by logical id, their properties resolved. */
    Map<String, JsonNode> resources() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        template.path("Resources").properties().forEach(r -> {
            JsonNode resource = r.getValue();
            if (!resource.has("Condition") || condition(resource.get("Condition").asText())) {
                out.put(r.getKey(), resolve(resource));
            }
        });
        return out;
    }

    /** The created resources of one type. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (r.path("Type").asText().equals(type)) {
                out.put(id, r);
            }
        });
        return out;
    }

    private boolean holds(JsonNode node) {
        if (node.has("Condition")) {
            return condition(node.get("Condition").asText());
        }
        if (node.has("Fn::Equals")) {
            return resolve(node.get("Fn::Equals").get(0)).equals(resolve(node.get("Fn::Equals").get(1)));
        }
        if (node.has("Fn::Not")) {
            return !holds(node.get("Fn::Not").get(0));
        }
        if (node.has("Fn::And")) {
            boolean all = true;
            for (JsonNode c : node.get("Fn::And")) {
                all &= holds(c);
            }
            return all;
        }
        if (node.has("Fn::Or")) {
            boolean any = false;
            for (JsonNode c : node.get("Fn::Or")) {
                any |= holds(c);
            }
            return any;
        }
        throw new IllegalArgumentException("not a condition: " + node);
    }

    /** The value with every function this class knows worked out; {@code null} for AWS::NoValue. */
    JsonNode resolve(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : node) {
                JsonNode value = resolve(item);
                if (value != null) {
                    out.add(value);
                }
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode args = node.get(function);
            switch (function) {
                case "Ref" -> {
                    if (args.asText().equals("AWS::NoValue")) {
                        return null;
                    }
                    JsonNode parameter = parameters.get(args.asText());
                    return parameter != null ? parameter : node;
                }
                case "Fn::If" -> {
                    return resolve(args.get(condition(args.get(0).asText()) ? 1 : 2));
                }
                case "Fn::Join" -> {
                    JsonNode delimiter = resolve(args.get(0));
                    JsonNode parts = resolve(args.get(1));
                    if (delimiter.isTextual() && parts.isArray()) {
                        List<String> texts = new ArrayList<>();
                        for (JsonNode part : parts) {
                            if (!part.isTextual()) {
                                return rebuilt(function, NODES.arrayNode().add(delimiter).add(parts));
                            }
                            texts.add(part.asText());
                        }
                        return TextNode.valueOf(String.join(delimiter.asText(), texts));
                    }
                    return rebuilt(function, NODES.arrayNode().add(delimiter).add(parts));
                }
                case "Fn::Split" -> {
                    JsonNode source = resolve(args.get(1));
                    if (source.isTextual()) {
                        return list(List.of(source.asText().split(Pattern.quote(args.get(0).asText()), -1)));
                    }
                    return rebuilt(function, NODES.arrayNode().add(args.get(0)).add(source));
                }
                case "Fn::Select" -> {
                    JsonNode list = resolve(args.get(1));
                    if (list.isArray()) {
                        return list.get(resolve(args.get(0)).asInt());
                    }
                    return rebuilt(function, NODES.arrayNode().add(args.get(0)).add(list));
                }
                case "Fn::Sub" -> {
                    // The one-string form, when every ${Name} is a parameter or a pseudo parameter.
                    if (args.isTextual()) {
                        Matcher m = Pattern.compile("\\$\\{([\\w:]+)}").matcher(args.asText());
                        StringBuilder out = new StringBuilder();
                        while (m.find()) {
                            JsonNode value = parameters.get(m.group(1));
                            if (value == null || !value.isTextual()) {
                                return node;
                            }
                            m.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
                        }
                        m.appendTail(out);
                        return TextNode.valueOf(out.toString());
                    }
                    return node;
                }
                default -> {
                    // other functions (GetAtt, ImportValue...) and plain one-key mappings
                }
            }
        }
        ObjectNode out = NODES.objectNode();
        node.properties().forEach(p -> {
            JsonNode value = resolve(p.getValue());
            if (value != null) {
                out.set(p.getKey(), value);
            }
        });
        return out;
    }

    private static JsonNode rebuilt(String function, JsonNode args) {
        return NODES.objectNode().set(function, args);
    }

    private static ArrayNode list(List<String> items) {
        ArrayNode out = NODES.arrayNode();
        items.forEach(out::add);
        return out;
    }
}
