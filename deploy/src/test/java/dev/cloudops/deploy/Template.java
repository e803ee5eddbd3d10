package dev.cloudops.deploy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * template.yaml read as CloudFormation reads it: short tags ({@code !Ref}, {@code !GetAtt A.B}, {@code !Sub}, ...)
 * become their long forms ({@code {"Ref": ...}}, {@code {"Fn::GetAtt": ["A", "B"]}}, ...), which a plain YAML
 * tree read would silently drop.
 */
final class Template {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode root;

    private Template(ObjectNode root) {
        this.root = root;
    }

    /** The committed template.yaml at the root of the checkout. */
    static Template committed() {
        return read(file());
    }

    static Path file() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("deploy"))) {
                return p.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found above " + System.getProperty("user.dir"));
    }

    /** The committed probe-region.yaml beside template.yaml: the monitor alone, for the other probe regions. */
    static Template probeRegion() {
        return read(probeRegionFile());
    }

    static Path probeRegionFile() {
        return file().resolveSibling("probe-region.yaml");
    }

    static Template read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Template parse(String yaml) {
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            parser.nextToken();
            JsonNode node = value(parser);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException("a template is a mapping, found " + node.getNodeType());
            }
            return new Template(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode root() {
        return root;
    }

    /** The template as JSON with every tag in its long form. */
    String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logical id to resource, in template order. */
    Map<String, JsonNode> resources() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("Resources").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    JsonNode resource(String logicalId) {
        JsonNode r = root.path("Resources").path(logicalId);
        if (r.isMissingNode()) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return r;
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> idsOfType(String type) {
        return resources().entrySet().stream().filter(e -> e.getValue().path("Type").asText().equals(type))
                .map(Map.Entry::getKey).toList();
    }

    /** The environment a function gets: the Globals' variables, overridden by the function's own. */
    Map<String, JsonNode> environment(String functionId) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        root.path("Globals").path("Function").path("Environment").path("Variables").properties()
                .forEach(e -> env.put(e.getKey(), e.getValue()));
        resource(functionId).path("Properties").path("Environment").path("Variables").properties()
                .forEach(e -> env.put(e.getKey(), e.getValue()));
        return env;
    }

    /** Whether a value is an intrinsic function: one key, {@code Ref}, {@code Condition} or {@code Fn::*}. */
    static boolean isIntrinsic(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            return false;
        }
        String key = node.fieldNames().next();
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    private static JsonNode value(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonNode plain = untagged(parser);
        return tag == null ? plain : longForm(tag, plain, parser);
    }

    private static JsonNode untagged(YAMLParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IllegalStateException("unexpected " + token + " at " + parser.currentLocation());
        }
    }

    private static JsonNode longForm(String tag, JsonNode value, YAMLParser parser) {
        String name = tag.replaceFirst("^!+", "");
        ObjectNode out = NODES.objectNode();
        switch (name) {
            case "Ref", "Condition" -> out.set(name, value);
            case "GetAtt" -> {
                if (value.isTextual()) {
                    String text = value.asText();
                    int dot = text.indexOf('.');
                    if (dot < 0) {
                        throw new IllegalArgumentException("!GetAtt " + text + " has no attribute, at "
                                + parser.currentLocation());
                    }
                    out.set("Fn::GetAtt", NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1)));
                } else {
                    out.set("Fn::GetAtt", value);
                }
            }
            case "Sub", "If", "Equals", "Not", "And", "Or", "Split", "Join", "Select", "Base64", "GetAZs",
                 "ImportValue", "FindInMap", "Cidr", "Transform", "Length", "ToJsonString",
                 "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll" -> out.set("Fn::" + name, value);
            default -> throw new IllegalArgumentException("unknown YAML tag !" + name + " at " + parser.currentLocation());
        }
        return out;
    }

    /** Every node below {@code node}, itself included, depth first. */
    static List<JsonNode> walk(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        walk(node, out);
        return out;
    }

    private static void walk(JsonNode node, List<JsonNode> out) {
        out.add(node);
        node.forEach(child -> walk(child, out));
    }
}
