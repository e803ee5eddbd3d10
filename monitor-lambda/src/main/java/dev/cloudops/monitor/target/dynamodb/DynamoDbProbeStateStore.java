package dev.cloudops.monitor.target.dynamodb;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.probe.Classification;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.time.Timestamps;
import dev.cloudops.CloudopsException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link ProbeStateStore} on the Control table, one item per target under {@code probe#<url>}; with several
 * probe regions (the quorum on), one per target and region under {@code probe#<region>#<url>}, so that each
 * region keeps its own streak of consecutive failures and successes (a healthy region must not reset the streak
 * of a failing one, nor report its recovery).
 */
public final class DynamoDbProbeStateStore implements ProbeStateStore {

    /** BatchGetItem's limit of keys per request. */
    private static final int BATCH = 100;
    private static final int BATCH_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final String prefix;

    /** One streak per target: a single probe region. */
    public DynamoDbProbeStateStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, null);
    }

    /** One streak per target and {@code region}, or per target when {@code region} is null. */
    public DynamoDbProbeStateStore(DynamoDbClient dynamoDb, String tableName, String region) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.prefix = region == null ? "probe#" : "probe#" + region + "#";
    }

    @Override
    public Optional<ProbeState> find(URI url) {
        var response = dynamoDb.getItem(b -> b.tableName(tableName).key(key(url)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(state(url, response.item()));
    }

    /** Reads the states 100 keys a request, asking again for the keys DynamoDB left unprocessed. */
    @Override
    public Map<URI, ProbeState> findAll(Collection<URI> urls) {
        List<URI> distinct = List.copyOf(new LinkedHashSet<>(urls));
        Map<URI, ProbeState> found = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += BATCH) {
            List<Map<String, AttributeValue>> keys = distinct.subList(from, Math.min(distinct.size(), from + BATCH))
                    .stream().map(this::key).toList();
            Map<String, KeysAndAttributes> pending = Map.of(tableName,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == BATCH_ATTEMPTS) {
                    throw new CloudopsException("DynamoDB left probe states unread after " + BATCH_ATTEMPTS
                            + " attempts (throttled); the run goes on without them");
                }
                if (attempt > 0) {
                    pause(attempt);
                }
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(request));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    URI url = URI.create(item.get("url").s());
                    found.put(url, state(url, item));
                }
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1_000, 25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudopsException("interrupted while reading probe states", e);
        }
    }

    private static ProbeState state(URI url, Map<String, AttributeValue> item) {
        return new ProbeState(url,
                Integer.parseInt(item.get("consecutive_failures").n()),
                Integer.parseInt(item.get("consecutive_successes").n()),
                item.containsKey("last_result") ? Classification.valueOf(item.get("last_result").s()) : null,
                item.containsKey("last_details") ? item.get("last_details").s() : null,
                item.containsKey("last_change") ? Timestamps.parse(item.get("last_change").s()) : null,
                item.containsKey("last_probed") ? Timestamps.parse(item.get("last_probed").s()) : null,
                item.containsKey("alerting") && Boolean.TRUE.equals(item.get("alerting").bool()),
                item.containsKey("last_duration_ms") ? Duration.ofMillis(Long.parseLong(item.get("last_duration_ms").n()))
                        : null,
                Long.parseLong(item.get("version").n()));
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
        if (next.lastDuration() != null) {
            item.put("last_duration_ms", AttributeValue.fromN(Long.toString(next.lastDuration().toMillis())));
        }
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

    private Map<String, AttributeValue> key(URI url) {
        return Map.of(ControlTable.PK, AttributeValue.fromS(prefix + url));
    }
}
