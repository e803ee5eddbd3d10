package dev.cloudops.monitor.dedupe.dynamodb;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** {@link OpenAlertClaims} on the Control table, one item per fingerprint under {@code open#<fingerprint>}. */
public final class DynamoDbOpenAlertClaims implements OpenAlertClaims {

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbOpenAlertClaims(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<Claim> holder(String fingerprint) {
        var response = dynamoDb.getItem(b -> b.tableName(tableName).key(key(fingerprint)).consistentRead(true));
        if (!response.hasItem() || !response.item().containsKey("alert_id")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new Claim(item.get("alert_id").s(), Timestamps.parse(item.get("claimed_at").s())));
    }

    @Override
    public boolean claim(String fingerprint, String alertId, String replacing, Instant now) {
        PutItemRequest.Builder put = PutItemRequest.builder()
                .tableName(tableName)
                .item(Map.of(
                        ControlTable.PK, key(fingerprint).get(ControlTable.PK),
                        "fingerprint", AttributeValue.fromS(fingerprint),
                        "alert_id", AttributeValue.fromS(alertId),
                        "claimed_at", AttributeValue.fromS(Timestamps.format(now))));
        if (replacing == null) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", ControlTable.PK));
        } else {
            put.conditionExpression("#alert = :replacing")
                    .expressionAttributeNames(Map.of("#alert", "alert_id"))
                    .expressionAttributeValues(Map.of(":replacing", AttributeValue.fromS(replacing)));
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String fingerprint) {
        return Map.of(ControlTable.PK, AttributeValue.fromS("open#" + fingerprint));
    }
}
