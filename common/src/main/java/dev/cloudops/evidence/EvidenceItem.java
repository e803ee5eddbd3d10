package dev.cloudops.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.Objects;

/**
 * One observed fact the analysis can cite: its id ({@code E1}, {@code E2}, ...), the read-only call it
 * came from, the resource it is about, when it was read, how the read went, a plain-words summary, and
 * the data as read.
 */
public record EvidenceItem(String id, String source, String subject, Instant at, EvidenceStatus status,
        String summary, ObjectNode data) {

    public EvidenceItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
        at = Timestamps.stored(Objects.requireNonNull(at, "at"));
        data = data == null ? null : data.deepCopy();
    }

    @Override
    public ObjectNode data() {
        return data == null ? null : data.deepCopy();
    }
}
