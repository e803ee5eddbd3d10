package dev.cloudops.execution.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The write tools of agent mode (RETURN_CONTROL functions, schema in {@code bedrock/write-tools.functions.json}):
 * one function per executable catalog action, named after it ({@code route53_upsert_record}). A request is
 * translated back to the action and its parameters in the plan's wire form, so it can be compared with a step.
 */
final class WriteTools {

    static final String RESOURCE = "/bedrock/write-tools.functions.json";
    static final String STEP_ID = "step_id";

    /** Holds a record set's whole parameters object, as JSON text (Bedrock allows only a few parameters). */
    private static final String RECORD_SET = "record_set";
    /** Lists, passed as JSON text. */
    private static final Set<String> JSON_LISTS = Set.of("paths", "subject_alternative_names");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the agent asked for. */
    sealed interface Request {
    }

    /** A call of a write tool: the catalog action, the step it claims to be, and its parameters in wire form. */
    record Call(String action, String stepId, ObjectNode parameters) implements Request {
    }

    /** A request that cannot be a step of any plan. */
    record Unusable(String why) implements Request {
    }

    private final Map<String, Map<String, String>> functions;

    private WriteTools(Map<String, Map<String, String>> functions) {
        this.functions = functions;
    }

    /** Reads the committed schema from the classpath. */
    static WriteTools load() {
        try (InputStream in = WriteTools.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("write tools schema missing from the classpath: " + RESOURCE);
            }
            Map<String, Map<String, String>> functions = new LinkedHashMap<>();
            for (JsonNode f : JSON.readTree(in).get("functions")) {
                Map<String, String> types = new LinkedHashMap<>();
                f.get("parameters").fields().forEachRemaining(p -> types.put(p.getKey(), p.getValue().get("type").asText()));
                functions.put(f.get("name").asText(), Map.copyOf(types));
            }
            return new WriteTools(Map.copyOf(functions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The function names, with their parameter names and declared types. */
    Map<String, Map<String, String>> functions() {
        return functions;
    }

    /** The catalog action a function carries out: {@code route53_upsert_record} is {@code route53.upsert_record}. */
    static String action(String function) {
        return function.replaceFirst("_", ".");
    }

    /** Translates a request; never throws for what the agent sent. */
    Request translate(String function, Map<String, String> given) {
        Map<String, String> declared = functions.get(function);
        if (declared == null) {
            return new Unusable(function + " is not a write tool of the catalog");
        }
        String stepId = given.get(STEP_ID);
        if (stepId == null || stepId.isBlank()) {
            return new Unusable("no step_id");
        }
        ObjectNode parameters = JSON.createObjectNode();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            if (name.equals(STEP_ID)) {
                continue;
            }
            String type = declared.get(name);
            if (type == null) {
                return new Unusable(function + " has no parameter " + name);
            }
            try {
                if (name.equals(RECORD_SET)) {
                    JsonNode record = JSON.readTree(value);
                    if (record == null || !record.isObject()) {
                        return new Unusable("record_set is not a JSON object");
                    }
                    parameters.setAll((ObjectNode) record);
                } else if (JSON_LISTS.contains(name)) {
                    JsonNode list = JSON.readTree(value);
                    if (list == null || !list.isArray()) {
                        return new Unusable(name + " is not a JSON array");
                    }
                    parameters.set(name, list);
                } else if (type.equals("boolean")) {
                    String b = value.strip().toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        return new Unusable(name + " is not true or false");
                    }
                    parameters.put(name, Boolean.parseBoolean(b));
                } else if (type.equals("integer")) {
                    parameters.put(name, Long.parseLong(value.strip()));
                } else {
                    parameters.put(name, value);
                }
            } catch (JsonProcessingException | NumberFormatException ex) {
                return new Unusable(name + " is malformed");
            }
        }
        return new Call(action(function), stepId.strip(), parameters);
    }
}
