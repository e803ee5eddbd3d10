package dev.cloudops.monitor.target.dynamodb;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.probe.Classification;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** {@link ProbeStateStore} on the Control table, one item per target under {@code probe#<url>}. */
public final class DynamoDbProbeStateStore implements ProbeStateStore {

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbProbeStateStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<ProbeState> find(URI url) {
        var response = dynamoDb.getItem(b -> b.tableName(tableName).key(key(url)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new ProbeState(url,
                Integer.parseInt(item.get("consecutive_failures").n()),
                Integer.parseInt(item.get("consecutive_successes").n()),
                item.containsKey("last_result") ? Classification.valueOf(item.get("last_result").s()) : null,
                item.containsKey("last_details") ? item.get("last_details").s() : null,
                item.containsKey("last_change") ? Timestamps.parse(item.get("last_change").s()) : null,
                item.containsKey("last_probed") ? Timestamps.parse(item.get("last_probed").s()) : null,
                item.containsKey("alerting") && Boolean.TRUE.equals(item.get("alerting").bool()),
                Long.parseLong(item.get("version").n())));
    }

    @Override
    public boolean save(ProbeState next) {
        Map<String, AttributeValue> item = new HashMap<>(key(next.url()));
        item.put("url", AttributeValue.fromS(next.url().toString()));
        item.put("consecutive_failures", AttributeValue.fromN(Integer.toString(next.consecutiveFailures())));
        item.put("consecutive_successes", AttributeValue.fromN(Integer.toString(next.consecutiveSuccesses())));
        if (next.lastClassification() != null) {
            item.put("last_result", AttributeValue.fromS(next.lastClassification().name()));
        }
        if (next.lastDetails() != null) {
            item.put("last_details", AttributeValue.fromS(next.lastDetails()));
        }
        if (next.lastChangeAt() != null) {
            item.put("last_change", AttributeValue.fromS(Timestamps.format(next.lastChangeAt())));
        }
        if (next.lastProbedAt() != null) {
            item.put("last_probed", AttributeValue.fromS(Timestamps.format(next.lastProbedAt())));
        }
        item.put("alerting", AttributeValue.fromBool(next.alerting()));
        item.put("version", AttributeValue.fromN(Long.toString(next.version())));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(tableName).item(item);
        if (next.version() <= 1) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", ControlTable.PK));
        } else {
            put.conditionExpression("#version = :previous")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":previous", AttributeValue.fromN(Long.toString(next.version() - 1))));
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(URI url) {
        return Map.of(ControlTable.PK, AttributeValue.fromS("probe#" + url));
    }
}
