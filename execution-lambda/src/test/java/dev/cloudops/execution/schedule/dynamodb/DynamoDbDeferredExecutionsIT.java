package dev.cloudops.execution.schedule.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.execution.schedule.DeferredExecutionsContract;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Deferred executions in the Control table, held to the same contract as the SQLite store, once on each
 * DynamoDB implementation (dynalite and moto): {@code due} is a filtered Scan ({@code begins_with} on the key,
 * a number comparison on the due time) that must find the same items on both.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbDeferredExecutionsIT extends DeferredExecutionsContract {

    @Parameter
    DynamoDbEndpoint endpoint;

    private String table;

    @Override
    protected DeferredExecutions newStore() {
        table = endpoint.createControlTable();
        return new DynamoDbDeferredExecutions(endpoint.client(), table);
    }

    /**
     * The Control table is shared with locks and claims: the scan must pass over their items, and a deferral
     * carries the Number time-to-live the table's setting ({@link ControlTable#TTL}) removes it by, eight days
     * after it was due (neither emulator expires items, so the attribute is what can be checked).
     */
    @Test
    void due_skipsTheTablesOtherItems_andEachDeferralCarriesItsTimeToLive() {
        endpoint.client().putItem(b -> b.tableName(table).item(Map.of(
                ControlTable.PK, AttributeValue.fromS("lock#cloudfront:E1"),
                "due_at", AttributeValue.fromN("0"))));
        DeferredExecutions deferred = new DynamoDbDeferredExecutions(endpoint.client(), table);
        deferred.schedule(new ExecutionRequest("alert-a", "h1"), NOW);

        Map<String, AttributeValue> item = endpoint.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(ControlTable.PK, AttributeValue.fromS("deferred#alert-a")))).item();

        assertThat(deferred.due(NOW)).containsExactly(new ExecutionRequest("alert-a", "h1"));
        assertThat(item.get("due_at").n()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(item.get(ControlTable.TTL).n())
                .isEqualTo(Long.toString(NOW.plus(Duration.ofDays(8)).getEpochSecond()));
    }
}
