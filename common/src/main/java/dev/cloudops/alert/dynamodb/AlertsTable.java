package dev.cloudops.alert.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The Alerts table's key schema and indexes, in one place for the emulator tests and local runs. The
 * deployed table is declared in template.yaml with the same names.
 */
public final class AlertsTable {

    /** GSI of the review queue and the backlog metric: (approval_status, timestamp). */
    public static final String BY_STATUS = "by-status";
    /** GSI used to dedupe: (fingerprint, timestamp). */
    public static final String BY_FINGERPRINT = "by-fingerprint";
    /** The number attribute (epoch seconds) that the table's time-to-live setting names. */
    public static final String TTL = AlertItemMapper.TTL;

    private AlertsTable() {
    }

    public static CreateTableRequest createRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(AlertItemMapper.ALERT_ID),
                        attribute(AlertItemMapper.APPROVAL_STATUS),
                        attribute(AlertItemMapper.TIMESTAMP),
                        attribute(AlertItemMapper.FINGERPRINT))
                .keySchema(key(AlertItemMapper.ALERT_ID, KeyType.HASH))
                .globalSecondaryIndexes(
                        index(BY_STATUS, AlertItemMapper.APPROVAL_STATUS),
                        index(BY_FINGERPRINT, AlertItemMapper.FINGERPRINT))
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String partitionKey) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(key(partitionKey, KeyType.HASH), key(AlertItemMapper.TIMESTAMP, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
