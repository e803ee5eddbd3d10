package dev.cloudops.execution.precheck.dynamodb;

import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.execution.precheck.ControlLocksContract;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;

/** Locks and limits in the Control table against the DynamoDB emulator, held to the shared contract. */
@ExtendWith(Emulators.class)
class DynamoDbControlLocksIT extends ControlLocksContract {

    private final Dynalite dynalite;

    DynamoDbControlLocksIT(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    @Override
    protected Subject subject() {
        String table = "control-" + UUID.randomUUID();
        dynalite.createTable(ControlTable.createRequest(table));
        DynamoDbControlLocks locks = new DynamoDbControlLocks(dynalite.client(), table, LOCK_FOR, MAX_CONCURRENT,
                MAX_PER_HOUR);
        return new Subject(locks, locks);
    }
}
