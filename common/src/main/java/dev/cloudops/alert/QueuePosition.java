package dev.cloudops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.time.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a page of the review queue ended — the last alert's status, stored timestamp and id — and its
 * opaque form, the cursor people pass back: URL-safe base64 JSON, the same for every store. Decoding
 * accepts only a cursor of the expected status with a well-formed id and a timestamp in its stored form,
 * so a cursor cannot steer a query elsewhere.
 */
public record QueuePosition(ApprovalStatus status, String timestamp, String alertId) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERT_ID = "alert_id";
    private static final String APPROVAL_STATUS = "approval_status";
    private static final String TIMESTAMP = "timestamp";
    private static final Set<String> KEYS = Set.of(ALERT_ID, APPROVAL_STATUS, TIMESTAMP);
    private static final Pattern ALERT_ID_PATTERN = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final int MAX_LENGTH = 512;

    public String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put(ALERT_ID, alertId);
        node.put(APPROVAL_STATUS, status.name());
        node.put(TIMESTAMP, timestamp);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position a cursor names.
     *
     * @throws InvalidCursorException when it is not a cursor of this queue
     */
    public static QueuePosition decode(String cursor, ApprovalStatus expectedStatus) {
        if (cursor.length() > MAX_LENGTH) {
            throw new InvalidCursorException("too long");
        }
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidCursorException("not a cursor issued by this service");
        }
        if (node == null || !node.isObject() || node.size() != KEYS.size()) {
            throw new InvalidCursorException("not a cursor issued by this service");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name) || !node.get(name).isTextual()) {
                throw new InvalidCursorException("not a cursor issued by this service");
            }
        }
        String alertId = node.get(ALERT_ID).asText();
        String status = node.get(APPROVAL_STATUS).asText();
        String timestamp = node.get(TIMESTAMP).asText();
        if (!status.equals(expectedStatus.name())) {
            throw new InvalidCursorException("it belongs to the " + status + " list, not " + expectedStatus);
        }
        if (!ALERT_ID_PATTERN.matcher(alertId).matches()) {
            throw new InvalidCursorException("malformed alert id");
        }
        try {
            // Stores compare it with the stored attribute or column, so only the stored form is accepted.
            if (!Timestamps.format(Timestamps.parse(timestamp)).equals(timestamp)) {
                throw new InvalidCursorException("malformed timestamp");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("malformed timestamp");
        }
        return new QueuePosition(expectedStatus, timestamp, alertId);
    }
}
