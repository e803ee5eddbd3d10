package dev.cloudops.control.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The Control table: small items keyed by {@code pk} — per-target probe state, open-alert claims,
 * locks and quotas — each kind under its own key prefix. Declared the same way in template.yaml.
 */
public final class ControlTable {

    /** The partition key attribute. */
    public static final String PK = "pk";
    /** The number attribute (epoch seconds) that the table's time-to-live setting names. */
    public static final String TTL = "ttl";

    private ControlTable() {
    }

    public static CreateTableRequest createRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(PK).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build())
                .build();
    }
}
