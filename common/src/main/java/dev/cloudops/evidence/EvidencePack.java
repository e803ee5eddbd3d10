package dev.cloudops.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
}
