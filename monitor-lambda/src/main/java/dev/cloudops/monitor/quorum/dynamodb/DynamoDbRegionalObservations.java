package dev.cloudops.monitor.quorum.dynamodb;

import dev.cloudops.CloudopsException;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.monitor.quorum.RegionalObservation;
import dev.cloudops.monitor.quorum.RegionalObservations;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * {@link RegionalObservations} on the Control table, one item per target and region under
 * {@code obs#<region>#<url>}: one item per region (not one per target with a map of regions) so that regions
 * never write the same item, which a global table would resolve by last writer wins, losing the other regions'
 * observations. Items expire {@link #RETENTION} after their observation, so removed targets leave nothing.
 */
public final class DynamoDbRegionalObservations implements RegionalObservations {

    /** How long an observation is kept: far beyond any quorum window, short enough to forget removed targets. */
    static final Duration RETENTION = Duration.ofDays(2);
    /** BatchGetItem's limit of keys per request. */
    private static final int BATCH = 100;
    private static final int BATCH_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbRegionalObservations(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public boolean record(RegionalObservation observation) {
        Map<String, AttributeValue> item = new HashMap<>(key(observation.target(), observation.region()));
        item.put("url", AttributeValue.fromS(observation.target().toString()));
        item.put("region", AttributeValue.fromS(observation.region()));
        item.put("classification", AttributeValue.fromS(observation.classification().name()));
        if (observation.layer() != null) {
            item.put("layer", AttributeValue.fromS(observation.layer().name()));
        }
        if (observation.latency() != null) {
            item.put("latency_ms", AttributeValue.fromN(Long.toString(observation.latency().toMillis())));
        }
        item.put("observed_at", AttributeValue.fromS(Timestamps.format(observation.observedAt())));
        item.put(ControlTable.TTL, AttributeValue.fromN(
                Long.toString(observation.observedAt().plus(RETENTION).getEpochSecond())));
        try {
            // Timestamps are fixed-width UTC text, so comparing the strings compares the instants.
            dynamoDb.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #at < :at")
                    .expressionAttributeNames(Map.of("#pk", ControlTable.PK, "#at", "observed_at"))
                    .expressionAttributeValues(Map.of(":at", item.get("observed_at"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Reads the regions' items 100 keys a request, asking again for the keys DynamoDB left unprocessed. */
    @Override
    public List<RegionalObservation> latest(URI target, Collection<String> regions) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(regions));
        List<RegionalObservation> found = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += BATCH) {
            List<Map<String, AttributeValue>> keys = distinct.subList(from, Math.min(distinct.size(), from + BATCH))
                    .stream().map(region -> key(target, region)).toList();
            Map<String, KeysAndAttributes> pending = Map.of(tableName,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == BATCH_ATTEMPTS) {
                    throw new CloudopsException("DynamoDB left regional observations of " + target + " unread after "
                            + BATCH_ATTEMPTS + " attempts (throttled)");
                }
                if (attempt > 0) {
                    pause(attempt);
                }
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(request));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    found.add(observation(item));
                }
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    private static RegionalObservation observation(Map<String, AttributeValue> item) {
        return new RegionalObservation(
                URI.create(item.get("url").s()),
                item.get("region").s(),
                item.containsKey("layer") ? Layer.valueOf(item.get("layer").s()) : null,
                Classification.valueOf(item.get("classification").s()),
                item.containsKey("latency_ms") ? Duration.ofMillis(Long.parseLong(item.get("latency_ms").n())) : null,
                Timestamps.parse(item.get("observed_at").s()));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1_000, 25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudopsException("interrupted while reading regional observations", e);
        }
    }

    // The region comes first: it never contains '#', so the key parses back unambiguously whatever the URL holds.
    private static Map<String, AttributeValue> key(URI target, String region) {
        return Map.of(ControlTable.PK, AttributeValue.fromS("obs#" + region + "#" + target));
    }
}
