package dev.cloudops.execution.precheck.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.execution.precheck.ControlLocksContract;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Locks and limits in the Control table, held to the shared contract, once on each DynamoDB implementation
 * (dynalite and moto): every lock, slot and quota is a conditional write whose refusal must come back as
 * ConditionalCheckFailedException on both.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbControlLocksIT extends ControlLocksContract {

    private static final Instant AT = Instant.parse("2026-11-27T05:30:00Z");

    @Parameter
    DynamoDbEndpoint endpoint;

    private String table;
    private DynamoDbControlLocks locks;

    @Override
    protected Subject subject() {
        table = endpoint.createControlTable();
        locks = new DynamoDbControlLocks(endpoint.client(), table, LOCK_FOR, MAX_CONCURRENT, MAX_PER_HOUR);
        return new Subject(locks, locks);
    }

    /**
     * Neither emulator removes expired items, so what is checked is what the table's time-to-live setting
     * (template.yaml names {@link ControlTable#TTL}) needs to remove them: a Number of epoch seconds, after the
     * item stops mattering. A string there would make DynamoDB keep the item for ever.
     */
    @Test
    void everyItem_carriesItsTimeToLive_asEpochSecondsAfterItStopsMattering() {
        locks.lockAll(List.of("cloudfront:E1"), "alert-a", AT);
        locks.acquire("alert-a", AT);

        Map<String, AttributeValue> lock = item("lock#cloudfront:E1");
        Map<String, AttributeValue> slot = item("exec#slot#0");
        Map<String, AttributeValue> hour = item("exec#hour#2026-11-27T05");
        long expires = AT.plus(LOCK_FOR).getEpochSecond();
        assertThat(lock.get("expires_at").n()).isEqualTo(Long.toString(expires));
        assertThat(lock.get(ControlTable.TTL).n()).isEqualTo(Long.toString(expires + Duration.ofDays(1).toSeconds()));
        assertThat(slot.get(ControlTable.TTL).n()).isEqualTo(lock.get(ControlTable.TTL).n());
        assertThat(hour.get("count").n()).isEqualTo("1");
        assertThat(hour.get(ControlTable.TTL).n())
                .isEqualTo(Long.toString(Instant.parse("2026-11-27T07:00:00Z").getEpochSecond()));
    }

    private Map<String, AttributeValue> item(String pk) {
        return endpoint.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(ControlTable.PK, AttributeValue.fromS(pk)))).item();
    }
}
