package dev.cloudops.execution.precheck.dynamodb;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.execution.precheck.ExecutionLimits;
import dev.cloudops.execution.precheck.ResourceLocks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Locks and limits as small items of the Control table, each taken with one conditional write: resource
 * locks under {@code lock#<resource>}, running slots under {@code exec#slot#<n>} (a slot is a lock, so
 * a crashed execution frees it when it expires), and the hourly count under {@code exec#hour#<hour>}
 * (a fixed window per clock hour, removed by TTL).
 */
public final class DynamoDbControlLocks implements ResourceLocks, ExecutionLimits {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration lockFor;
    private final int maxConcurrent;
    private final int maxPerHour;

    public DynamoDbControlLocks(DynamoDbClient dynamoDb, String table, Duration lockFor, int maxConcurrent,
            int maxPerHour) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.lockFor = lockFor;
        this.maxConcurrent = maxConcurrent;
        this.maxPerHour = maxPerHour;
    }

    @Override
    public Optional<String> lockAll(List<String> resources, String owner, Instant now) {
        List<String> taken = new ArrayList<>();
        for (String resource : resources.stream().sorted().distinct().toList()) {
            Optional<String> holder = tryLock("lock#" + resource, owner, now);
            if (holder.isPresent()) {
                releaseAll(taken, owner);
                return Optional.of(resource + " is locked by the execution of alert " + holder.get());
            }
            taken.add(resource);
        }
        return Optional.empty();
    }

    @Override
    public void releaseAll(List<String> resources, String owner) {
        resources.forEach(r -> unlock("lock#" + r, owner));
    }

    @Override
    public Optional<String> acquire(String owner, Instant now) {
        String slot = null;
        for (int i = 0; i < maxConcurrent && slot == null; i++) {
            if (tryLock("exec#slot#" + i, owner, now).isEmpty()) {
                slot = "exec#slot#" + i;
            }
        }
        if (slot == null) {
            return Optional.of(maxConcurrent + " executions are already running (the most allowed at once)");
        }
        String hour = HOUR.format(now);
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of(ControlTable.PK, AttributeValue.fromS("exec#hour#" + hour)))
                    .updateExpression("ADD #count :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#count) OR #count < :max")
                    .expressionAttributeNames(Map.of("#count", "count", "#ttl", ControlTable.TTL))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":max", AttributeValue.fromN(String.valueOf(maxPerHour)),
                            ":ttl", AttributeValue.fromN(String.valueOf(now.truncatedTo(ChronoUnit.HOURS)
                                    .plus(Duration.ofHours(2)).getEpochSecond())))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            unlock(slot, owner);
            return Optional.of(maxPerHour + " executions already ran in the hour " + hour + " UTC (the most allowed)");
        }
    }

    @Override
    public void release(String owner) {
        for (int i = 0; i < maxConcurrent; i++) {
            unlock("exec#slot#" + i, owner);
        }
    }

    /** Takes the lock item when it is free, expired or already ours; otherwise names the holder. */
    private Optional<String> tryLock(String key, String owner, Instant now) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(Map.of(ControlTable.PK, AttributeValue.fromS(key),
                            "owner", AttributeValue.fromS(owner),
                            "expires_at", AttributeValue.fromN(String.valueOf(now.plus(lockFor).getEpochSecond())),
                            ControlTable.TTL, AttributeValue.fromN(String.valueOf(now.plus(lockFor).plus(Duration.ofDays(1))
                                    .getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(#pk) OR #expires < :now OR #owner = :owner")
                    .expressionAttributeNames(Map.of("#pk", ControlTable.PK, "#expires", "expires_at", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(String.valueOf(now.getEpochSecond())),
                            ":owner", AttributeValue.fromS(owner))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            var held = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of(ControlTable.PK, AttributeValue.fromS(key))));
            return Optional.of(held.hasItem() && held.item().containsKey("owner") ? held.item().get("owner").s()
                    : "another execution");
        }
    }

    private void unlock(String key, String owner) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of(ControlTable.PK, AttributeValue.fromS(key)))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours (expired and taken by another execution): leave it.
        }
    }
}
