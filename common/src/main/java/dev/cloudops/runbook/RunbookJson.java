package dev.cloudops.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.IssueType;
import dev.cloudops.json.RecordJson;
import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Runbook} as the JSON document the stores keep: written by {@link RecordJson} (snake_case names, absent
 * fields left out, instants as ISO-8601 text), read back here field by field. A document that does not read back
 * is refused with every missing or mistyped field named, so a damaged record says what is wrong with it instead of
 * becoming a runbook with a default in place of what was lost.
 */
public final class RunbookJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunbookJson() {
    }

    /** The runbook as compact JSON. */
    public static String write(Runbook runbook) {
        try {
            return JSON.writeValueAsString(RecordJson.toJson(runbook));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * The runbook {@code json} holds.
     *
     * @throws IllegalArgumentException when it is not JSON, or naming each field that is missing or mistyped
     */
    public static Runbook read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a runbook document is not JSON: " + e.getOriginalMessage(), e);
        }
        Reader r = new Reader();
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a runbook document must be a JSON object");
        }
        String id = r.text(root, "id");
        JsonNode t = r.object(root, "template");
        IssueType issueType = r.enumValue(t, "template.issue_type", IssueType.class);
        String plan = r.text(t, "template.plan");
        List<RunbookTemplate.Parameter> parameters = r.list(t, "template.parameters", (p, at) ->
                new RunbookTemplate.Parameter(r.text(p, at + ".name"), r.source(p, at + ".from"),
                        r.bool(p, at + ".strip_dot")));
        List<RunbookTemplate.Predicate> predicates = r.list(t, "template.predicates", (p, at) ->
                new RunbookTemplate.Predicate(r.source(p, at + ".at"), r.text(p, at + ".expected")));
        Runbook.Status status = r.enumValue(root, "status", Runbook.Status.class);
        String taughtBy = r.text(root, "taught_by");
        Instant learnedAt = r.instant(root, "learned_at");
        int uses = r.integer(root, "uses");
        int verifiedSuccesses = r.integer(root, "verified_successes");
        Instant lastFailureAt = root.has("last_failure_at") ? r.instant(root, "last_failure_at") : null;
        String lastFailure = root.has("last_failure") ? r.text(root, "last_failure") : null;
        int autoApproveAfter = r.integer(root, "auto_approve_after");
        String autoApprovalBy = root.has("auto_approval_by") ? r.text(root, "auto_approval_by") : null;
        String promotedBy = root.has("promoted_by") ? r.text(root, "promoted_by") : null;
        Instant promotedAt = root.has("promoted_at") ? r.instant(root, "promoted_at") : null;
        long version = r.number(root, "version");
        if (!r.errors.isEmpty()) {
            throw new IllegalArgumentException("a runbook document does not read back: " + String.join("; ", r.errors));
        }
        return new Runbook(id, new RunbookTemplate(issueType, plan, parameters, predicates), status, taughtBy,
                learnedAt, uses, verifiedSuccesses, lastFailureAt, lastFailure, autoApproveAfter, autoApprovalBy, promotedBy,
                promotedAt, version);
    }

    /**
     * Reads fields by dotted path (the last segment is the name inside {@code node}), noting each problem and
     * going on, so that one read names them all. A field it could not read gives null or 0, never used.
     */
    private static final class Reader {

        private final List<String> errors = new ArrayList<>();

        private JsonNode field(JsonNode node, String path) {
            if (node == null) {
                return null; // the parent is missing or mistyped, already noted
            }
            JsonNode value = node.get(path.substring(path.lastIndexOf('.') + 1));
            if (value == null || value.isNull()) {
                errors.add(path + " is missing");
                return null;
            }
            return value;
        }

        private JsonNode mistyped(String path, String expected, JsonNode value) {
            errors.add(path + " must be " + expected + ", not " + value.getNodeType().name().toLowerCase());
            return null;
        }

        JsonNode object(JsonNode node, String path) {
            JsonNode value = field(node, path);
            return value == null || value.isObject() ? value : mistyped(path, "an object", value);
        }

        String text(JsonNode node, String path) {
            JsonNode value = field(node, path);
            if (value != null && !value.isTextual()) {
                mistyped(path, "a string", value);
                return null;
            }
            return value == null ? null : value.asText();
        }

        boolean bool(JsonNode node, String path) {
            JsonNode value = field(node, path);
            if (value != null && !value.isBoolean()) {
                mistyped(path, "true or false", value);
                return false;
            }
            return value != null && value.asBoolean();
        }

        long number(JsonNode node, String path) {
            JsonNode value = field(node, path);
            if (value != null && !value.canConvertToLong()) {
                mistyped(path, "a whole number", value);
                return 0;
            }
            return value == null ? 0 : value.asLong();
        }

        int integer(JsonNode node, String path) {
            JsonNode value = field(node, path);
            if (value != null && !(value.canConvertToInt() && value.asInt() >= 0)) {
                mistyped(path, "a whole number from 0", value);
                return 0;
            }
            return value == null ? 0 : value.asInt();
        }

        Instant instant(JsonNode node, String path) {
            String text = text(node, path);
            if (text == null) {
                return null;
            }
            try {
                return Timestamps.parse(text);
            } catch (IllegalArgumentException e) {
                errors.add(path + " is " + e.getMessage());
                return null;
            }
        }

        <E extends Enum<E>> E enumValue(JsonNode node, String path, Class<E> type) {
            String text = text(node, path);
            if (text == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, text);
            } catch (IllegalArgumentException e) {
                errors.add(path + " is '" + text + "', not a " + type.getSimpleName());
                return null;
            }
        }

        RunbookTemplate.Source source(JsonNode node, String path) {
            JsonNode source = object(node, path);
            if (source == null) {
                return null;
            }
            String name = text(source, path + ".source");
            int ordinal = integer(source, path + ".ordinal");
            String pointer = text(source, path + ".pointer");
            return name == null || pointer == null ? null : new RunbookTemplate.Source(name, ordinal, pointer);
        }

        <T> List<T> list(JsonNode node, String path, Item<T> item) {
            JsonNode array = field(node, path);
            if (array == null) {
                return List.of();
            }
            if (!array.isArray()) {
                mistyped(path, "an array", array);
                return List.of();
            }
            List<T> items = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                String at = path + "[" + i + "]";
                JsonNode element = array.get(i);
                if (!element.isObject()) {
                    mistyped(at, "an object", element);
                } else {
                    items.add(item.read(element, at));
                }
            }
            return items;
        }
    }

    @FunctionalInterface
    private interface Item<T> {
        T read(JsonNode element, String path);
    }
}
