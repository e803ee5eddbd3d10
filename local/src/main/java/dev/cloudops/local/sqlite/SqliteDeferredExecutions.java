package dev.cloudops.local.sqlite;

import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.execution.schedule.DeferredExecutions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link DeferredExecutions} on the {@code deferred_executions} table of the local database: one row per
 * alert, due times kept to the second as in the DynamoDB store.
 */
public final class SqliteDeferredExecutions implements DeferredExecutions {

    private final SqliteDatabase database;

    public SqliteDeferredExecutions(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void schedule(ExecutionRequest request, Instant at) {
        database.write(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO deferred_executions"
                    + " (alert_id, plan_hash, due_at) VALUES (?, ?, ?) ON CONFLICT (alert_id)"
                    + " DO UPDATE SET plan_hash = excluded.plan_hash, due_at = excluded.due_at")) {
                upsert.setString(1, request.alertId());
                upsert.setString(2, request.planHash());
                upsert.setLong(3, at.getEpochSecond());
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public List<ExecutionRequest> due(Instant now) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT alert_id, plan_hash FROM deferred_executions"
                    + " WHERE due_at <= ? ORDER BY due_at, alert_id")) {
                query.setLong(1, now.getEpochSecond());
                List<ExecutionRequest> due = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        due.add(new ExecutionRequest(rows.getString(1), rows.getString(2)));
                    }
                }
                return due;
            }
        });
    }

    @Override
    public void remove(String alertId) {
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM deferred_executions WHERE alert_id = ?")) {
                delete.setString(1, alertId);
                return delete.executeUpdate();
            }
        });
    }
}
