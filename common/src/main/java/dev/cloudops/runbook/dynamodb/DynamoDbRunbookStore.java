package dev.cloudops.runbook.dynamodb;

import dev.cloudops.CloudopsException;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookJson;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link RunbookStore} on the Control table, one item per runbook under {@code runbook#<id>}: the runbook whole as
 * its {@link RunbookJson} document, and beside it the attributes the store reads without parsing it ({@code kind},
 * {@code status}, {@code learned_at}, {@code version}). Every write is a PutItem conditional on the stored version
 * (or on there being no item, for a new runbook).
 *
 * <p>The Control table has no index, so {@link #list} is a consistent Scan filtered on {@code kind} and
 * {@code status}, followed page by page and sorted here. That reads every item of the table; it is meant for a
 * handful of runbooks (a few per kind of fix an account ever needed) beside the table's other small items, and
 * would want an index of its own before runbooks number in the thousands.
 */
public final class DynamoDbRunbookStore implements RunbookStore {

    /** The value of the {@code kind} attribute that marks runbook items among the table's others. */
    static final String KIND = "runbook";
    /**
     * Read-modify-write attempts in {@link #learned}. Each conditional failure means another write to the same
     * runbook succeeded, so this many covers that many learners of one runbook at the same instant.
     */
    private static final int ATTEMPTS = 10;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbRunbookStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /**
     * Creates the runbook (learned at {@code at}, version 1) when none has its id, else adds one verified success
     * to the stored one, keeping everything else; either write is conditional, and a write that lost to another
     * is done again on a fresh read, so concurrent learners each count.
     */
    @Override
    public Runbook learned(Runbook candidate, Instant at) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Runbook> stored = find(candidate.id());
            Runbook next = stored
                    .map(s -> with(s, s.verifiedSuccesses() + 1, s.learnedAt(), s.version() + 1))
                    .orElseGet(() -> with(candidate, candidate.verifiedSuccesses(), at, 1));
            if (put(next, stored.map(Runbook::version))) {
                return next;
            }
            pause(attempt);
        }
        throw new CloudopsException("runbook " + candidate.id() + " changed under each of " + ATTEMPTS
                + " attempts to count a verified success; the success is not recorded");
    }

    @Override
    public Optional<Runbook> find(String id) {
        var response = dynamoDb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(runbook(response.item()));
    }

    @Override
    public List<Runbook> list(Runbook.Status status, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<Runbook> found = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .filterExpression("#kind = :kind AND #status = :status")
                        .expressionAttributeNames(Map.of("#kind", "kind", "#status", "status"))
                        .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS(KIND),
                                ":status", AttributeValue.fromS(status.name()))))
                .items().forEach(item -> found.add(runbook(item)));
        return found.stream()
                .sorted(Comparator.comparing(Runbook::learnedAt).reversed().thenComparing(Runbook::id))
                .limit(limit).toList();
    }

    @Override
    public Optional<Runbook> replace(Runbook next) {
        Runbook stored = with(next, next.verifiedSuccesses(), next.learnedAt(), next.version() + 1);
        return put(stored, Optional.of(next.version())) ? Optional.of(stored) : Optional.empty();
    }

    /**
     * Writes {@code next} if the stored item is at {@code previous}, or if there is no item when
     * {@code previous} is empty; false when the condition failed.
     */
    private boolean put(Runbook next, Optional<Long> previous) {
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(Map.of(
                ControlTable.PK, key(next.id()).get(ControlTable.PK),
                "kind", AttributeValue.fromS(KIND),
                "status", AttributeValue.fromS(next.status().name()),
                "learned_at", AttributeValue.fromS(Timestamps.format(next.learnedAt())),
                "version", AttributeValue.fromN(Long.toString(next.version())),
                "document", AttributeValue.fromS(RunbookJson.write(next))));
        if (previous.isEmpty()) {
            put.conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", ControlTable.PK));
        } else {
            put.conditionExpression("#version = :previous")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":previous", AttributeValue.fromN(Long.toString(previous.get()))));
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Runbook runbook(Map<String, AttributeValue> item) {
        Runbook runbook = RunbookJson.read(item.get("document").s());
        long version = Long.parseLong(item.get("version").n());
        return runbook.version() == version ? runbook : with(runbook, runbook.verifiedSuccesses(),
                runbook.learnedAt(), version);
    }

    private static Runbook with(Runbook r, int verifiedSuccesses, Instant learnedAt, long version) {
        return new Runbook(r.id(), r.template(), r.status(), r.taughtBy(), learnedAt, r.uses(), verifiedSuccesses,
                r.lastFailureAt(), r.lastFailure(), r.autoApproveAfter(), r.autoApprovalBy(), r.promotedBy(),
                r.promotedAt(), version);
    }

    /** A short random wait, so that learners who lost a race do not all read and write again at once. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 10L + 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudopsException("interrupted while recording a runbook's verified success", e);
        }
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(ControlTable.PK, AttributeValue.fromS("runbook#" + id));
    }
}
