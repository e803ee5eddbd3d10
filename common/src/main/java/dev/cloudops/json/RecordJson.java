package dev.cloudops.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Any record as JSON, component by component with snake_case names: nested records, lists and maps
 * recursively, numbers and booleans as such, everything else (instants, durations, enums) as its string.
 * Used to archive alerts whole, so nothing added to a record is ever left out of the archive.
 */
public final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordJson() {
    }

    public static ObjectNode toJson(Record record) {
        ObjectNode out = NODES.objectNode();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(record);
                if (value != null) {
                    out.set(snake(c.getName()), node(value));
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass(), e);
            }
        }
        return out;
    }

    private static JsonNode node(Object value) {
        return switch (value) {
            case Record r -> toJson(r);
            case JsonNode j -> j.deepCopy();
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Collection<?> list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(v -> array.add(v == null ? NODES.nullNode() : node(v)));
                yield array;
            }
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), v == null ? NODES.nullNode() : node(v)));
                yield object;
            }
            default -> NODES.textNode(value.toString());
        };
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
