package dev.cloudops.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.time.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything read about one failing target, in the order it was read; stored as JSON under evidence/. */
public record EvidencePack(String alertId, String host, Instant collectedAt, List<EvidenceItem> items) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public EvidencePack {
        items = List.copyOf(items);
        collectedAt = Timestamps.stored(collectedAt);
    }

    public Optional<EvidenceItem> item(String id) {
        return items.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** The first item from this source call, e.g. {@code cloudfront:GetDistribution}. */
    public Optional<EvidenceItem> bySource(String source) {
        return items.stream().filter(i -> i.source().equals(source)).findFirst();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("alert_id", alertId);
        root.put("host", host);
        root.put("collected_at", Timestamps.format(collectedAt));
        ArrayNode list = root.putArray("items");
        for (EvidenceItem item : items) {
            ObjectNode node = list.addObject();
            node.put("id", item.id());
            node.put("source", item.source());
            node.put("subject", item.subject());
            node.put("at", Timestamps.format(item.at()));
            node.put("status", item.status().name());
            node.put("summary", item.summary());
            if (item.data() != null) {
                node.set("data", item.data());
            }
        }
        return root;
    }

    public byte[] toJsonBytes() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an evidence pack always serialises", e);
        }
    }

    /**
     * Reads a pack back from the JSON {@link #toJson()} writes (the evidence/ artifact). Every field {@code toJson}
     * writes is required except an item's {@code data}; a missing or mistyped one is named with its path.
     */
    public static EvidencePack fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("an evidence pack is a JSON object");
        }
        JsonNode list = root.get("items");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("$.items: missing or not an array");
        }
        List<EvidenceItem> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String path = "$.items[" + i + "]";
            if (!node.isObject()) {
                throw new IllegalArgumentException(path + ": not an object");
            }
            String status = text(node, path, "status", false);
            EvidenceStatus parsed;
            try {
                parsed = EvidenceStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ".status: '" + status + "' is not one of "
                        + List.of(EvidenceStatus.values()), e);
            }
            JsonNode data = node.get("data");
            if (data != null && !data.isNull() && !data.isObject()) {
                throw new IllegalArgumentException(path + ".data: not an object");
            }
            items.add(new EvidenceItem(text(node, path, "id", false), text(node, path, "source", false),
                    text(node, path, "subject", true), instant(node, path, "at"), parsed,
                    text(node, path, "summary", false), data == null || data.isNull() ? null : (ObjectNode) data));
        }
        return new EvidencePack(text(root, "$", "alert_id", true), text(root, "$", "host", true),
                instant(root, "$", "collected_at"), items);
    }

    /** Reads a pack from the bytes {@link #toJsonBytes()} writes. */
    public static EvidencePack fromJsonBytes(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return fromJson(root);
    }

    private static String text(JsonNode node, String path, String field, boolean nullable) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (nullable && value != null) {
                return null;
            }
            throw new IllegalArgumentException(path + "." + field + ": missing");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(path + "." + field + ": not a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String path, String field) {
        String text = text(node, path, field, false);
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + "." + field + ": " + e.getMessage(), e);
        }
    }
}
