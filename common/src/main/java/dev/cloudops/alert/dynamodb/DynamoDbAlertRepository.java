package dev.cloudops.alert.dynamodb;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditChain;
import dev.cloudops.alert.AlertAlreadyExistsException;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Page;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.time.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link AlertRepository} on the Alerts table. Each transition is one conditional {@code UpdateItem}
 * (expected state and version) that sets the changed attributes and appends the audit event; no
 * transactions, no read-then-write.
 */
public final class DynamoDbAlertRepository implements AlertRepository {

    /** Alerts are kept this long after detection unless configured otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    private static final int MAX_PAGE = 100;
    private static final Set<String> MANAGED = Set.of(
            AlertItemMapper.ALERT_ID, AlertItemMapper.AUDIT, AlertItemMapper.VERSION, AlertItemMapper.AUDIT_HEAD);
    /**
     * How often an entry is chained again onto a trail that others appended to meanwhile, before giving up. Each
     * round of conditional writes has a winner, so N writers at once need up to N attempts; the trail's writers
     * (the monitor, people deciding, the executor, notifications) are far fewer than this.
     */
    private static final int CHAIN_ATTEMPTS = 32;

    // "Open" as a condition, built from the lifecycle so it cannot drift from AlertState.isTerminal().
    private static final Map<String, String> OPEN_NAMES = Map.of(
            "#approval", AlertItemMapper.APPROVAL_STATUS, "#execution", AlertItemMapper.EXECUTION_STATUS);
    private static final Map<String, AttributeValue> OPEN_VALUES;
    private static final String OPEN_CONDITION;

    static {
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> open = new ArrayList<>();
        for (AlertState state : AlertState.values()) {
            if (!state.isTerminal()) {
                String n = Integer.toString(state.ordinal());
                values.put(":a" + n, AttributeValue.fromS(state.approvalStatus().name()));
                values.put(":e" + n, AttributeValue.fromS(state.executionStatus().name()));
                open.add("(#approval = :a" + n + " AND #execution = :e" + n + ")");
            }
        }
        OPEN_VALUES = Map.copyOf(values);
        OPEN_CONDITION = "(" + String.join(" OR ", open) + ")";
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Duration retention;

    public DynamoDbAlertRepository(DynamoDbClient dynamoDb, String tableName, Duration retention) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.retention = retention;
    }

    @Override
    public Alert create(Alert alert) {
        Alert stored = alert.ttl() != null ? alert : alert.toBuilder().ttl(alert.timestamp().plus(retention)).build();
        try {
            dynamoDb.putItem(b -> b.tableName(tableName)
                    .item(AlertItemMapper.toItem(stored))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", AlertItemMapper.ALERT_ID)));
        } catch (ConditionalCheckFailedException e) {
            throw new AlertAlreadyExistsException(alert.alertId());
        }
        return stored;
    }

    @Override
    public Optional<Alert> find(String alertId) {
        var response = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(alertId))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(AlertItemMapper.fromItem(response.item()))
                : Optional.empty();
    }

    /**
     * Applies {@code transition} while the stored alert still has its {@code before} version, state and audit head.
     * When only audit entries were appended meanwhile (notifications, journal entries: the version and state are
     * unchanged), the transition's entry is chained again onto the stored trail and written again, so the chain
     * never forks and the transition is not lost to an append.
     */
    @Override
    public TransitionResult apply(Transition transition) {
        Alert base = transition.before();
        for (int attempt = 0; ; attempt++) {
            AuditEvent event = AuditChain.append(base.alertId(), base.audit(), transition.event());
            Optional<Alert> written = write(transition, event, base.auditHead(),
                    new AuditChain.Head(base.audit().size() + 1, AuditChain.link(event)));
            if (written.isPresent()) {
                return new TransitionResult.Applied(written.get());
            }
            Optional<Alert> current = find(transition.alertId());
            if (current.isEmpty()) {
                return new TransitionResult.NotFound(transition.alertId());
            }
            Alert now = current.get();
            if (attempt + 1 >= CHAIN_ATTEMPTS || !onlyAppendedSince(transition.before(), now)) {
                return new TransitionResult.Conflict(now);
            }
            pause(attempt);
            base = now;
        }
    }

    /** Up to a few milliseconds more for each attempt lost. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 2L + 2L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to an audit trail", e);
        }
    }

    /** Whether {@code now} differs from {@code before} only by audit entries appended after {@code before}'s. */
    private static boolean onlyAppendedSince(Alert before, Alert now) {
        return now.version() == before.version() && now.approvalStatus() == before.approvalStatus()
                && now.executionStatus() == before.executionStatus() && now.audit().size() > before.audit().size()
                && now.audit().subList(0, before.audit().size()).equals(before.audit());
    }

    /**
     * One conditional write of {@code transition}'s changes, appending {@code event} to a trail whose head is
     * {@code previous}; the alert as written, or empty when the condition failed.
     */
    private Optional<Alert> write(Transition transition, AuditEvent event, AuditChain.Head previous,
            AuditChain.Head next) {
        Map<String, AttributeValue> before = AlertItemMapper.toItem(transition.before());
        Map<String, AttributeValue> after = AlertItemMapper.toItem(transition.after());
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();

        Set<String> attributes = new LinkedHashSet<>(before.keySet());
        attributes.addAll(after.keySet());
        int i = 0;
        for (String attribute : attributes) {
            if (MANAGED.contains(attribute) || Objects.equals(before.get(attribute), after.get(attribute))) {
                continue;
            }
            String name = "#a" + i;
            names.put(name, attribute);
            if (after.containsKey(attribute)) {
                values.put(":v" + i, after.get(attribute));
                sets.add(name + " = :v" + i);
            } else {
                removes.add(name);
            }
            i++;
        }
        names.put("#audit", AlertItemMapper.AUDIT);
        names.put("#version", AlertItemMapper.VERSION);
        names.put("#approval", AlertItemMapper.APPROVAL_STATUS);
        names.put("#execution", AlertItemMapper.EXECUTION_STATUS);
        values.put(":event", AttributeValue.fromL(List.of(AlertItemMapper.event(event))));
        values.put(":none", AttributeValue.fromL(List.of()));
        values.put(":next", AttributeValue.fromN(Long.toString(transition.after().version())));
        values.put(":expected", AttributeValue.fromN(Long.toString(transition.before().version())));
        values.put(":approval", AttributeValue.fromS(transition.before().approvalStatus().name()));
        values.put(":execution", AttributeValue.fromS(transition.before().executionStatus().name()));
        names.put("#head", AlertItemMapper.AUDIT_HEAD);
        values.put(":head", AttributeValue.fromS(next.wire()));
        values.put(":previousHead", AttributeValue.fromS(previous.wire()));
        sets.add("#audit = list_append(if_not_exists(#audit, :none), :event)");
        sets.add("#head = :head");
        sets.add("#version = :next");
        String update = "SET " + String.join(", ", sets)
                + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));

        try {
            UpdateItemResponse response = dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(transition.alertId()))
                    .updateExpression(update)
                    // Alerts stored before the trail was chained have no head yet: their first chained entry sets it.
                    .conditionExpression("#version = :expected AND #approval = :approval AND #execution = :execution"
                            + " AND (#head = :previousHead OR attribute_not_exists(#head))")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(AlertItemMapper.fromItem(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public Page<Alert> listByStatus(ApprovalStatus status, int limit, String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("page size must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(AlertsTable.BY_STATUS)
                .keyConditionExpression("#status = :status")
                .expressionAttributeNames(Map.of("#status", AlertItemMapper.APPROVAL_STATUS))
                .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status.name())))
                .scanIndexForward(false)
                .limit(limit);
        if (cursor != null) {
            query.exclusiveStartKey(QueueCursor.decode(cursor, status));
        }
        QueryResponse response = dynamoDb.query(query.build());
        List<Alert> alerts = response.items().stream().map(AlertItemMapper::fromItem).toList();
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(QueueCursor.encode(response.lastEvaluatedKey()))
                : Optional.empty();
        return new Page<>(alerts, next);
    }

    @Override
    public Optional<Alert> recordOccurrence(String alertId, Instant seenAt) {
        Map<String, String> names = new HashMap<>(OPEN_NAMES);
        names.put("#occurrences", "occurrences");
        names.put("#lastSeen", "last_seen");
        Map<String, AttributeValue> values = new HashMap<>(OPEN_VALUES);
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":seen", AttributeValue.fromS(Timestamps.format(seenAt)));
        try {
            UpdateItemResponse response = dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(alertId))
                    .updateExpression("SET #occurrences = #occurrences + :one, #lastSeen = :seen")
                    .conditionExpression(OPEN_CONDITION)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(AlertItemMapper.fromItem(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Alert> listByStatusBefore(ApprovalStatus status, Instant before, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        QueryResponse response = dynamoDb.query(QueryRequest.builder()
                .tableName(tableName)
                .indexName(AlertsTable.BY_STATUS)
                .keyConditionExpression("#status = :status AND #ts < :before")
                .expressionAttributeNames(Map.of("#status", AlertItemMapper.APPROVAL_STATUS,
                        "#ts", AlertItemMapper.TIMESTAMP))
                .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status.name()),
                        ":before", AttributeValue.fromS(Timestamps.format(before))))
                .scanIndexForward(true)
                .limit(limit)
                .build());
        return response.items().stream().map(AlertItemMapper::fromItem).toList();
    }

    /**
     * Reads the by-status index's APPROVED partition oldest first, keeping what DynamoDB's filter lets through
     * (execution_status EXECUTING), page by page until {@code limit} are found or the partition ends.
     */
    @Override
    public List<Alert> listExecuting(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        List<Alert> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse response = dynamoDb.query(QueryRequest.builder()
                    .tableName(tableName)
                    .indexName(AlertsTable.BY_STATUS)
                    .keyConditionExpression("#status = :approved")
                    .filterExpression("#execution = :executing")
                    .expressionAttributeNames(Map.of("#status", AlertItemMapper.APPROVAL_STATUS,
                            "#execution", AlertItemMapper.EXECUTION_STATUS))
                    .expressionAttributeValues(Map.of(":approved", AttributeValue.fromS(ApprovalStatus.APPROVED.name()),
                            ":executing", AttributeValue.fromS(ExecutionStatus.EXECUTING.name())))
                    .scanIndexForward(true)
                    .exclusiveStartKey(start)
                    .build());
            response.items().stream().limit(limit - found.size()).map(AlertItemMapper::fromItem).forEach(found::add);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null && found.size() < limit);
        return found;
    }

    /**
     * Appends {@code event} chained onto the stored trail, with a write conditional on the trail's head: of two
     * writers appending at once, one writes and the other chains onto the new head and writes again.
     */
    @Override
    public boolean appendEvent(String alertId, AuditEvent event) {
        for (int attempt = 0; attempt < CHAIN_ATTEMPTS; attempt++) {
            Optional<Alert> current = find(alertId);
            if (current.isEmpty()) {
                return false;
            }
            Alert now = current.get();
            AuditEvent chained = AuditChain.append(alertId, now.audit(), event);
            AuditChain.Head previous = now.auditHead();
            AuditChain.Head next = new AuditChain.Head(now.audit().size() + 1, AuditChain.link(chained));
            try {
                dynamoDb.updateItem(b -> b.tableName(tableName)
                        .key(key(alertId))
                        .updateExpression("SET #audit = list_append(if_not_exists(#audit, :none), :event), #head = :head")
                        .conditionExpression("attribute_exists(#id) AND (#head = :previousHead"
                                + " OR (attribute_not_exists(#head) AND size(#audit) = :length))")
                        .expressionAttributeNames(Map.of("#audit", AlertItemMapper.AUDIT, "#id", AlertItemMapper.ALERT_ID,
                                "#head", AlertItemMapper.AUDIT_HEAD))
                        .expressionAttributeValues(Map.of(
                                ":event", AttributeValue.fromL(List.of(AlertItemMapper.event(chained))),
                                ":none", AttributeValue.fromL(List.of()),
                                ":head", AttributeValue.fromS(next.wire()),
                                ":previousHead", AttributeValue.fromS(previous.wire()),
                                ":length", AttributeValue.fromN(Integer.toString(now.audit().size())))));
                return true;
            } catch (ConditionalCheckFailedException e) {
                // Another entry was appended meanwhile: chain onto it, after a short random pause so that writers
                // who lost together do not collide again in step.
                pause(attempt);
            }
        }
        throw new IllegalStateException("the audit trail of " + alertId + " kept changing under concurrent writers; "
                + "gave up after " + CHAIN_ATTEMPTS + " attempts");
    }

    @Override
    public Optional<AuditChain.Head> storedHead(String alertId) {
        var response = dynamoDb.getItem(b -> b.tableName(tableName).key(key(alertId)).consistentRead(true)
                .projectionExpression("#head").expressionAttributeNames(Map.of("#head", AlertItemMapper.AUDIT_HEAD)));
        return response.hasItem() && response.item().containsKey(AlertItemMapper.AUDIT_HEAD)
                ? AuditChain.Head.parse(response.item().get(AlertItemMapper.AUDIT_HEAD).s())
                : Optional.empty();
    }

    @Override
    public boolean noteRefusal(String alertId, AuditEvent refusal, Duration quiet) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(alertId))
                    .updateExpression("SET #refused = if_not_exists(#refused, :zero) + :one, #last = :at")
                    // Timestamps are fixed-width UTC text, so they compare as instants.
                    .conditionExpression("attribute_exists(#id)"
                            + " AND (attribute_not_exists(#last) OR #last <= :quietSince)")
                    .expressionAttributeNames(Map.of("#id", AlertItemMapper.ALERT_ID,
                            "#refused", AlertItemMapper.REFUSED_ATTEMPTS, "#last", AlertItemMapper.LAST_REFUSED_AT))
                    .expressionAttributeValues(Map.of(
                            ":zero", AttributeValue.fromN("0"),
                            ":one", AttributeValue.fromN("1"),
                            ":at", AttributeValue.fromS(Timestamps.format(refusal.at())),
                            ":quietSince", AttributeValue.fromS(Timestamps.format(refusal.at().minus(quiet))))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Alert> findOpenByFingerprint(String fingerprint) {
        Map<String, String> names = new HashMap<>(OPEN_NAMES);
        names.put("#fp", AlertItemMapper.FINGERPRINT);
        Map<String, AttributeValue> values = new HashMap<>(OPEN_VALUES);
        values.put(":fp", AttributeValue.fromS(fingerprint));
        QueryRequest query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(AlertsTable.BY_FINGERPRINT)
                .keyConditionExpression("#fp = :fp")
                .filterExpression(OPEN_CONDITION)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(false)
                .build();
        return dynamoDb.queryPaginator(query).items().stream()
                .map(AlertItemMapper::fromItem)
                .findFirst();
    }

    private static Map<String, AttributeValue> key(String alertId) {
        return Map.of(AlertItemMapper.ALERT_ID, AttributeValue.fromS(alertId));
    }
}
