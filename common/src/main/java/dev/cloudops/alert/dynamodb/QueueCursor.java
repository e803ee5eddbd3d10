package dev.cloudops.alert.dynamodb;

import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.QueuePosition;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The review queue's cursor as the by-status index's last evaluated key, and back (format: {@link QueuePosition}). */
final class QueueCursor {

    private QueueCursor() {
    }

    static String encode(Map<String, AttributeValue> lastEvaluatedKey) {
        return new QueuePosition(ApprovalStatus.valueOf(lastEvaluatedKey.get(AlertItemMapper.APPROVAL_STATUS).s()),
                lastEvaluatedKey.get(AlertItemMapper.TIMESTAMP).s(), lastEvaluatedKey.get(AlertItemMapper.ALERT_ID).s())
                .encode();
    }

    static Map<String, AttributeValue> decode(String cursor, ApprovalStatus expectedStatus) {
        QueuePosition p = QueuePosition.decode(cursor, expectedStatus);
        return Map.of(
                AlertItemMapper.ALERT_ID, AttributeValue.fromS(p.alertId()),
                AlertItemMapper.APPROVAL_STATUS, AttributeValue.fromS(p.status().name()),
                AlertItemMapper.TIMESTAMP, AttributeValue.fromS(p.timestamp()));
    }
}
