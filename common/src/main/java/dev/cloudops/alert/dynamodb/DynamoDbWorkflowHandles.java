package dev.cloudops.alert.dynamodb;

import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.orchestration.WorkflowHandles;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link WorkflowHandles} as two attributes of the alert's item in the Alerts table,
 * {@code workflow_execution_arn} and {@code workflow_task_token}. Alert transitions update only the
 * attributes they change ({@link DynamoDbAlertRepository#apply}), so these survive them.
 */
public final class DynamoDbWorkflowHandles implements WorkflowHandles {

    static final String EXECUTION_ARN = "workflow_execution_arn";
    static final String TASK_TOKEN = "workflow_task_token";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbWorkflowHandles(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public boolean recordExecution(String alertId, String executionArn) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(alertId))
                    .updateExpression("SET #arn = :arn")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#arn", EXECUTION_ARN, "#id", AlertItemMapper.ALERT_ID))
                    .expressionAttributeValues(Map.of(":arn", AttributeValue.fromS(executionArn))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean storeTaskToken(String alertId, String taskToken) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(alertId))
                    .updateExpression("SET #token = :token")
                    .conditionExpression("#approval = :pending")
                    .expressionAttributeNames(Map.of("#token", TASK_TOKEN, "#approval", AlertItemMapper.APPROVAL_STATUS))
                    .expressionAttributeValues(Map.of(":token", AttributeValue.fromS(taskToken),
                            ":pending", AttributeValue.fromS(ApprovalStatus.PENDING_APPROVAL.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Handles> find(String alertId) {
        var response = dynamoDb.getItem(b -> b.tableName(tableName).key(key(alertId)).consistentRead(true)
                .projectionExpression("#arn, #token, #id")
                .expressionAttributeNames(Map.of("#arn", EXECUTION_ARN, "#token", TASK_TOKEN,
                        "#id", AlertItemMapper.ALERT_ID)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new Handles(text(item.get(EXECUTION_ARN)), text(item.get(TASK_TOKEN))));
    }

    @Override
    public void clearTaskToken(String alertId, String taskToken) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(alertId))
                    .updateExpression("REMOVE #token")
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#token", TASK_TOKEN))
                    .expressionAttributeValues(Map.of(":token", AttributeValue.fromS(taskToken))));
        } catch (ConditionalCheckFailedException e) {
            // another wait's token (or none): nothing of ours to remove
        }
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.s();
    }

    private static Map<String, AttributeValue> key(String alertId) {
        return Map.of(AlertItemMapper.ALERT_ID, AttributeValue.fromS(alertId));
    }
}
