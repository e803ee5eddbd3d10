package dev.cloudops.alert.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.InvalidCursorException;
import dev.cloudops.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The opaque page cursor of the review queue: the query's last evaluated key as URL-safe base64 JSON.
 * Decoding accepts only a key of this index and status, so a cursor cannot steer the query elsewhere.
 */
final class QueueCursor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS =
            Set.of(AlertItemMapper.ALERT_ID, AlertItemMapper.APPROVAL_STATUS, AlertItemMapper.TIMESTAMP);
    private static final Pattern ALERT_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final int MAX_LENGTH = 512;

    private QueueCursor() {
    }

    static String encode(Map<String, AttributeValue> lastEvaluatedKey) {
        ObjectNode node = JSON.createObjectNode();
        for (String key : KEYS) {
            node.put(key, lastEvaluatedKey.get(key).s());
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String cursor, ApprovalStatus expectedStatus) {
        if (cursor.length() > MAX_LENGTH) {
            throw new InvalidCursorException("too long");
        }
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new InvalidCursorException("not a cursor issued by this service");
        } catch (java.io.IOException e) {
            throw new InvalidCursorException("unreadable");
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
        String alertId = node.get(AlertItemMapper.ALERT_ID).asText();
        String status = node.get(AlertItemMapper.APPROVAL_STATUS).asText();
        String timestamp = node.get(AlertItemMapper.TIMESTAMP).asText();
        if (!status.equals(expectedStatus.name())) {
            throw new InvalidCursorException("it belongs to the " + status + " list, not " + expectedStatus);
        }
        if (!ALERT_ID.matcher(alertId).matches()) {
            throw new InvalidCursorException("malformed alert id");
        }
        try {
            Timestamps.parse(timestamp);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("malformed timestamp");
        }
        return Map.of(
                AlertItemMapper.ALERT_ID, AttributeValue.fromS(alertId),
                AlertItemMapper.APPROVAL_STATUS, AttributeValue.fromS(status),
                AlertItemMapper.TIMESTAMP, AttributeValue.fromS(timestamp));
    }
}
