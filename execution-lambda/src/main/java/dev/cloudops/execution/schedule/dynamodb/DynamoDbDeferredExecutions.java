package dev.cloudops.execution.schedule.dynamodb;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.execution.schedule.DeferredExecutions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Deferred executions as Control-table items {@code deferred#<alert id>} with their due time. */
public final class DynamoDbDeferredExecutions implements DeferredExecutions {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbDeferredExecutions(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void schedule(ExecutionRequest request, Instant at) {
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                ControlTable.PK, AttributeValue.fromS("deferred#" + request.alertId()),
                "alert_id", AttributeValue.fromS(request.alertId()),
                "plan_hash", AttributeValue.fromS(request.planHash()),
                "due_at", AttributeValue.fromN(String.valueOf(at.getEpochSecond())),
                ControlTable.TTL, AttributeValue.fromN(String.valueOf(at.plus(Duration.ofDays(8)).getEpochSecond())))));
    }

    @Override
    public List<ExecutionRequest> due(Instant now) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .filterExpression("begins_with(#pk, :prefix) AND #due <= :now")
                        .expressionAttributeNames(Map.of("#pk", ControlTable.PK, "#due", "due_at"))
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS("deferred#"),
                                ":now", AttributeValue.fromN(String.valueOf(now.getEpochSecond())))))
                .items().forEach(items::add);
        return items.stream().sorted(Comparator.comparingLong(i -> Long.parseLong(i.get("due_at").n())))
                .map(i -> new ExecutionRequest(i.get("alert_id").s(), i.get("plan_hash").s())).toList();
    }

    @Override
    public void remove(String alertId) {
        dynamoDb.deleteItem(b -> b.tableName(table)
                .key(Map.of(ControlTable.PK, AttributeValue.fromS("deferred#" + alertId))));
    }
}
