package dev.cloudops.runbook.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.alert.IssueType;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookStoreContract;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runbooks in the Control table, held to the same contract as the SQLite store, once on each DynamoDB
 * implementation (dynalite and moto): the conditional puts and the filtered, paginated Scan behind {@code list}
 * must behave the same on both.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbRunbookStoreIT extends RunbookStoreContract {

    @Parameter
    DynamoDbEndpoint endpoint;

    private String table;

    @Override
    protected RunbookStore newStore() {
        table = endpoint.createControlTable();
        return new DynamoDbRunbookStore(endpoint.client(), table);
    }

    /**
     * The Control table is shared with locks, claims and probe state: listing passes over their items, even one
     * that happens to carry a {@code status} attribute, and reads only items marked as runbooks.
     * (The template here need not be one a learner would make: the store keeps it as it is.)
     */
    @Test
    void list_skipsTheTablesOtherItems() {
        endpoint.client().putItem(b -> b.tableName(table).item(Map.of(
                ControlTable.PK, AttributeValue.fromS("lock#cloudfront:E1"),
                "status", AttributeValue.fromS("CANDIDATE"))));
        endpoint.client().putItem(b -> b.tableName(table).item(Map.of(
                ControlTable.PK, AttributeValue.fromS("probe#https://shop.example.com/"),
                "version", AttributeValue.fromN("3"))));

        RunbookStore store = new DynamoDbRunbookStore(endpoint.client(), table);
        Runbook learned = store.learned(Runbook.candidate(new RunbookTemplate(IssueType.HTTP_ERROR,
                "{\"summary\":\"Fix it.\",\"steps\":[]}", List.of(), List.of()), "alert-1", NOW), NOW);

        assertThat(store.list(Runbook.Status.CANDIDATE, 10)).containsExactly(learned);
    }
}
