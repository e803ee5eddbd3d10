package dev.cloudops.alert.dynamodb;

import static dev.cloudops.testing.AlertFixtures.MONITOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertRepositoryContract;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Page;
import dev.cloudops.alert.Transition;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The alert repository contract, plus the shape of the stored items, run once on each DynamoDB implementation
 * (dynalite and moto): the conditional writes, the by-status and by-fingerprint index queries and the cursors
 * built from their last evaluated keys must work on both, not on one emulator's reading of the API.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbAlertRepositoryIT extends AlertRepositoryContract {

    @Parameter
    DynamoDbEndpoint endpoint;

    private DynamoDbClient dynamoDb;
    private String table;
    private DynamoDbAlertRepository repository;

    @BeforeEach
    void createTable() {
        dynamoDb = endpoint.client();
        table = "alerts-" + UUID.randomUUID();
        endpoint.createTable(AlertsTable.createRequest(table));
        repository = new DynamoDbAlertRepository(dynamoDb, table, RETENTION);
    }

    @Override
    protected AlertRepository repository() {
        return repository;
    }

    @Test
    void create_writesTheIndexedAttributesAndTtl_asItemAttributes() {
        Alert stored = repository.create(AlertFixtures.detected("01JDETECTED0000000000000001"));

        Map<String, AttributeValue> item = rawItem(stored.alertId());

        assertThat(item.get("ttl").n()).isEqualTo(Long.toString(stored.ttl().getEpochSecond()));
        assertThat(item.get("approval_status").s()).isEqualTo("DETECTED");
        assertThat(item.get("execution_status").s()).isEqualTo("NOT_STARTED");
        assertThat(item.get("fingerprint").s()).isEqualTo("www.example.com#HTTP_ERROR");
    }

    @Test
    void apply_removesTheAttributes_thatTheTransitionClears() {
        Alert pending = repository.create(AlertFixtures.pending("01JREMOVE000000000000000001"));
        AuditEvent event = AuditEvent.of(pending.timestamp().plusSeconds(9), AuditAction.ANALYZED, MONITOR,
                "PENDING_APPROVAL", "impact withdrawn");
        List<AuditEvent> trail = new ArrayList<>(pending.audit());
        trail.add(event);
        Alert after = pending.toBuilder().estimatedImpact(null).audit(trail).version(pending.version() + 1).build();

        repository.apply(new Transition(pending, after, event));

        assertThat(rawItem(pending.alertId())).doesNotContainKey("estimated_impact").containsKey("plan");
    }

    /**
     * A Query stopped by its Limit on the partition's last item may still return a LastEvaluatedKey: DynamoDB
     * cannot know the page was the last, and says only an absent key ends the results. dynalite does this; moto
     * ends such a page without a key (docs/testing.md). The cursor made of the key must lead to an empty page that
     * ends the list, not to an error or to alerts shown before; on moto the list simply ends a page earlier.
     */
    @Test
    void listByStatus_aFullLastPage_endsTheList_evenWhenItsCursorLeadsToAnEmptyPage() {
        for (int i = 0; i < 2; i++) {
            repository.create(AlertFixtures.pending(AlertFixtures.detected("01JFULLPAGE00000000000000" + i,
                    "full" + i + ".example", IssueType.HTTP_ERROR, AlertFixtures.DETECTED_AT.plusSeconds(i)), 1));
        }

        Page<Alert> first = repository.listByStatus(ApprovalStatus.PENDING_APPROVAL, 2, null);

        assertThat(first.items()).extracting(Alert::alertId)
                .containsExactly("01JFULLPAGE000000000000001", "01JFULLPAGE000000000000000");
        boolean keyAfterAFullLastPage = !endpoint.name().equals("moto");
        assertThat(first.nextCursor().isPresent()).isEqualTo(keyAfterAFullLastPage);
        first.nextCursor().ifPresent(cursor -> {
            Page<Alert> after = repository.listByStatus(ApprovalStatus.PENDING_APPROVAL, 2, cursor);
            assertThat(after.items()).isEmpty();
            assertThat(after.nextCursor()).isEmpty();
        });
    }

    private Map<String, AttributeValue> rawItem(String alertId) {
        return dynamoDb.getItem(b -> b.tableName(table).key(Map.of("alert_id", AttributeValue.fromS(alertId))))
                .item();
    }
}
