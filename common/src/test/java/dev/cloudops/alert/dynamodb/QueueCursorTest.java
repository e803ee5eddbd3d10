package dev.cloudops.alert.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.InvalidCursorException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class QueueCursorTest {

    private static final Map<String, AttributeValue> KEY = Map.of(
            "alert_id", AttributeValue.fromS("01JABC"),
            "approval_status", AttributeValue.fromS("PENDING_APPROVAL"),
            "timestamp", AttributeValue.fromS("2026-11-27T02:24:37.120Z"));

    @Test
    void decode_returnsTheKeyThatWasEncoded() {
        String cursor = QueueCursor.encode(KEY);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(QueueCursor.decode(cursor, ApprovalStatus.PENDING_APPROVAL)).isEqualTo(KEY);
    }

    @Test
    void decode_refusesCursorsItDidNotIssue() {
        assertThatThrownBy(() -> QueueCursor.decode(QueueCursor.encode(KEY), ApprovalStatus.APPROVED))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> QueueCursor.decode("%%%", ApprovalStatus.PENDING_APPROVAL))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> QueueCursor.decode(b64("[1,2]"), ApprovalStatus.PENDING_APPROVAL))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> QueueCursor.decode(b64("{\"alert_id\":\"01JABC\",\"approval_status\":"
                + "\"PENDING_APPROVAL\",\"timestamp\":\"2026-11-27T02:24:37.120Z\",\"domain\":\"x\"}"),
                ApprovalStatus.PENDING_APPROVAL))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> QueueCursor.decode(b64("{\"alert_id\":\"01 JABC\",\"approval_status\":"
                + "\"PENDING_APPROVAL\",\"timestamp\":\"2026-11-27T02:24:37.120Z\"}"), ApprovalStatus.PENDING_APPROVAL))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("alert id");
        assertThatThrownBy(() -> QueueCursor.decode("A".repeat(600), ApprovalStatus.PENDING_APPROVAL))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("too long");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
