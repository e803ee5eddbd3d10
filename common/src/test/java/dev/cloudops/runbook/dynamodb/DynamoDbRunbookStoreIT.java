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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

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

    /**
     * A Scan returns at most 1 MB a page and applies its filter after that, so runbooks can lie past a first page
     * that holds none of them: with 2 MB of other items, listing still finds all ten (and the test checks that one
     * page alone would not have).
     */
    @Test
    void list_followsTheScanPastItsFirstPage() {
        String padding = "x".repeat(50_000);
        for (int i = 0; i < 40; i++) {
            String url = "https://site-" + i + ".example.com/";
            endpoint.client().putItem(b -> b.tableName(table).item(Map.of(
                    ControlTable.PK, AttributeValue.fromS("probe#" + url),
                    "padding", AttributeValue.fromS(padding))));
        }
        RunbookStore store = new DynamoDbRunbookStore(endpoint.client(), table);
        List<Runbook> learned = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            learned.add(store.learned(Runbook.candidate(new RunbookTemplate(IssueType.HTTP_ERROR,
                    "{\"summary\":\"Fix " + i + ".\",\"steps\":[]}", List.of(), List.of()), "alert-" + i, NOW),
                    NOW.plusSeconds(i)));
        }

        ScanResponse firstPage = endpoint.client().scan(b -> b.tableName(table).consistentRead(true)
                .filterExpression("#kind = :kind").expressionAttributeNames(Map.of("#kind", "kind"))
                .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS("runbook"))));

        assertThat(firstPage.hasLastEvaluatedKey() && !firstPage.lastEvaluatedKey().isEmpty()).isTrue();
        assertThat(firstPage.count()).as("runbooks on the first page").isLessThan(learned.size());
        assertThat(store.list(Runbook.Status.CANDIDATE, 20)).containsExactlyElementsOf(learned.reversed());
    }
}
