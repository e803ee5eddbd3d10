package dev.cloudops.local.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditChain;
import dev.cloudops.alert.AlertAlreadyExistsException;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Page;
import dev.cloudops.alert.QueuePosition;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.time.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link AlertRepository} on the {@code alerts} table of the local database: the alert as one JSON
 * document plus the columns it is looked up by. Like the DynamoDB store, a transition is one conditional
 * {@code UPDATE} (expected version and state) that sets only the fields the transition changed and appends
 * its audit event, so occurrences and events recorded meanwhile are kept.
 */
public final class SqliteAlertRepository implements AlertRepository {

    private static final int MAX_PAGE = 100;
    private static final Set<String> MANAGED = Set.of("alert_id", AlertDocument.AUDIT, AlertDocument.VERSION);
    /** The audit trail's head ({@link AuditChain.Head}) in the document, beside the trail it was written for. */
    private static final String AUDIT_HEAD = "audit_head";
    private static final String COLUMNS = "alert_id, approval_status, execution_status, timestamp, fingerprint, open,"
            + " version, document";

    private final SqliteDatabase database;
    private final Duration retention;

    /** Alerts without a {@code ttl} get {@code timestamp + retention}; nothing is deleted when it passes. */
    public SqliteAlertRepository(SqliteDatabase database, Duration retention) {
        this.database = Objects.requireNonNull(database, "database");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.retention = retention;
    }

    @Override
    public Alert create(Alert alert) {
        Alert stored = alert.ttl() != null ? alert : alert.toBuilder().ttl(alert.timestamp().plus(retention)).build();
        int inserted = database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO alerts (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING")) {
                insert.setString(1, stored.alertId());
                insert.setString(2, stored.approvalStatus().name());
                insert.setString(3, stored.executionStatus().name());
                insert.setString(4, Timestamps.format(stored.timestamp()));
                insert.setString(5, stored.fingerprint());
                insert.setBoolean(6, stored.isOpen());
                insert.setLong(7, stored.version());
                insert.setString(8, AlertDocument.toJson(stored).put(AUDIT_HEAD, stored.auditHead().wire()).toString());
                return insert.executeUpdate();
            }
        });
        if (inserted == 0) {
            throw new AlertAlreadyExistsException(alert.alertId());
        }
        return stored;
    }

    @Override
    public Optional<Alert> find(String alertId) {
        return database.read(c -> find(c, alertId));
    }

    @Override
    public TransitionResult apply(Transition transition) {
        Alert before = transition.before();
        Alert after = transition.after();
        ObjectNode was = AlertDocument.toJson(before);
        ObjectNode will = AlertDocument.toJson(after);
        List<String> removed = new ArrayList<>();
        List<String> setArguments = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>();
        was.fieldNames().forEachRemaining(fields::add);
        will.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (MANAGED.contains(field) || Objects.equals(was.get(field), will.get(field))) {
                continue;
            }
            if (will.has(field)) {
                setArguments.add(path(field));
                setArguments.add(will.get(field).toString());
            } else {
                removed.add(path(field));
            }
        }
        setArguments.add(path(AlertDocument.VERSION));
        setArguments.add(Long.toString(after.version()));

        String document = "document";
        if (!removed.isEmpty()) {
            document = "json_remove(" + document + ", ?" + ", ?".repeat(removed.size() - 1) + ")";
        }
        document = "json_set(" + document + ", ?, json(?)" + ", ?, json(?)".repeat(setArguments.size() / 2 - 1) + ")";
        document = "json_insert(" + document + ", '$." + AlertDocument.AUDIT + "[#]', json(?))";
        document = "json_set(" + document + ", '$." + AUDIT_HEAD + "', ?)";
        String update = "UPDATE alerts SET document = " + document + ", approval_status = ?, execution_status = ?,"
                + " timestamp = ?, fingerprint = ?, open = ?, version = ?"
                + " WHERE alert_id = ? AND version = ? AND approval_status = ? AND execution_status = ?";

        return database.write(c -> {
            // Writes are serialised: chain the entry onto the trail as stored now (others may have appended to it
            // since the transition was made; if anything else changed, the update below matches nothing).
            List<AuditEvent> trail = find(c, transition.alertId()).map(Alert::audit).orElse(before.audit());
            AuditEvent chained = AuditChain.append(transition.alertId(), trail, transition.event());
            int updated;
            try (PreparedStatement statement = c.prepareStatement(update)) {
                int i = 1;
                for (String path : removed) {
                    statement.setString(i++, path);
                }
                for (String argument : setArguments) {
                    statement.setString(i++, argument);
                }
                statement.setString(i++, AlertDocument.write(chained));
                statement.setString(i++, new AuditChain.Head(trail.size() + 1, AuditChain.link(chained)).wire());
                statement.setString(i++, after.approvalStatus().name());
                statement.setString(i++, after.executionStatus().name());
                statement.setString(i++, Timestamps.format(after.timestamp()));
                statement.setString(i++, after.fingerprint());
                statement.setBoolean(i++, after.isOpen());
                statement.setLong(i++, after.version());
                statement.setString(i++, transition.alertId());
                statement.setLong(i++, before.version());
                statement.setString(i++, before.approvalStatus().name());
                statement.setString(i, before.executionStatus().name());
                updated = statement.executeUpdate();
            }
            Optional<Alert> now = find(c, transition.alertId());
            if (updated == 1) {
                return new TransitionResult.Applied(now.orElseThrow());
            }
            return now.<TransitionResult>map(TransitionResult.Conflict::new)
                    .orElseGet(() -> new TransitionResult.NotFound(transition.alertId()));
        });
    }

    @Override
    public Page<Alert> listByStatus(ApprovalStatus status, int limit, String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("page size must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        Objects.requireNonNull(status, "status");
        QueuePosition after = cursor == null ? null : QueuePosition.decode(cursor, status);
        List<Alert> rows = database.read(c -> {
            String sql = "SELECT alert_id, document FROM alerts WHERE approval_status = ?"
                    + (after == null ? "" : " AND (timestamp < ? OR (timestamp = ? AND alert_id < ?))")
                    + " ORDER BY timestamp DESC, alert_id DESC LIMIT ?";
            try (PreparedStatement query = c.prepareStatement(sql)) {
                int i = 1;
                query.setString(i++, status.name());
                if (after != null) {
                    query.setString(i++, after.timestamp());
                    query.setString(i++, after.timestamp());
                    query.setString(i++, after.alertId());
                }
                query.setInt(i, limit + 1);
                return alerts(query);
            }
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty());
        }
        List<Alert> page = rows.subList(0, limit);
        Alert last = page.getLast();
        return new Page<>(page, Optional.of(
                new QueuePosition(status, Timestamps.format(last.timestamp()), last.alertId()).encode()));
    }

    @Override
    public Optional<Alert> recordOccurrence(String alertId, Instant seenAt) {
        return database.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE alerts SET document = json_set(document,"
                    + " '$." + AlertDocument.OCCURRENCES + "', json_extract(document, '$." + AlertDocument.OCCURRENCES
                    + "') + 1, '$." + AlertDocument.LAST_SEEN + "', ?) WHERE alert_id = ? AND open = 1")) {
                update.setString(1, Timestamps.stored(seenAt).toString());
                update.setString(2, alertId);
                if (update.executeUpdate() == 0) {
                    return Optional.<Alert>empty();
                }
            }
            return find(c, alertId);
        });
    }

    @Override
    public boolean appendEvent(String alertId, AuditEvent event) {
        return database.write(c -> {
            Optional<Alert> current = find(c, alertId);
            if (current.isEmpty()) {
                return false;
            }
            List<AuditEvent> trail = current.get().audit();
            AuditEvent chained = AuditChain.append(alertId, trail, event);
            try (PreparedStatement update = c.prepareStatement("UPDATE alerts SET document = json_set(json_insert("
                    + "document, '$." + AlertDocument.AUDIT + "[#]', json(?)), '$." + AUDIT_HEAD + "', ?)"
                    + " WHERE alert_id = ?")) {
                update.setString(1, AlertDocument.write(chained));
                update.setString(2, new AuditChain.Head(trail.size() + 1, AuditChain.link(chained)).wire());
                update.setString(3, alertId);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<AuditChain.Head> storedHead(String alertId) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT json_extract(document, '$." + AUDIT_HEAD
                    + "') FROM alerts WHERE alert_id = ?")) {
                query.setString(1, alertId);
                try (var rows = query.executeQuery()) {
                    return rows.next() ? AuditChain.Head.parse(rows.getString(1)) : Optional.<AuditChain.Head>empty();
                }
            }
        });
    }

    @Override
    public boolean noteRefusal(String alertId, AuditEvent refusal, Duration quiet) {
        String last = "json_extract(document, '$." + AlertDocument.LAST_REFUSED_AT + "')";
        return database.write(c -> {
            // julianday() compares the instants, whatever digits of the second their text carries.
            try (PreparedStatement update = c.prepareStatement("UPDATE alerts SET document = json_set(document,"
                    + " '$." + AlertDocument.REFUSED_ATTEMPTS + "', coalesce(json_extract(document, '$."
                    + AlertDocument.REFUSED_ATTEMPTS + "'), 0) + 1, '$." + AlertDocument.LAST_REFUSED_AT + "', ?)"
                    + " WHERE alert_id = ? AND (" + last + " IS NULL OR julianday(" + last + ") <= julianday(?))")) {
                update.setString(1, Timestamps.stored(refusal.at()).toString());
                update.setString(2, alertId);
                update.setString(3, Timestamps.format(refusal.at().minus(quiet)));
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Alert> listByStatusBefore(ApprovalStatus status, Instant before, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT alert_id, document FROM alerts"
                    + " WHERE approval_status = ? AND timestamp < ? ORDER BY timestamp, alert_id LIMIT ?")) {
                query.setString(1, status.name());
                query.setString(2, Timestamps.format(before));
                query.setInt(3, limit);
                return alerts(query);
            }
        });
    }

    @Override
    public List<Alert> listExecuting(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT alert_id, document FROM alerts"
                    + " WHERE approval_status = 'APPROVED' AND open = 1 ORDER BY timestamp, alert_id")) {
                return alerts(query).stream().filter(a -> a.state() == AlertState.EXECUTING).limit(limit).toList();
            }
        });
    }

    @Override
    public Optional<Alert> findOpenByFingerprint(String fingerprint) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT alert_id, document FROM alerts"
                    + " WHERE fingerprint = ? AND open = 1 ORDER BY timestamp DESC, alert_id DESC LIMIT 1")) {
                query.setString(1, fingerprint);
                return alerts(query).stream().findFirst();
            }
        });
    }

    private static Optional<Alert> find(Connection c, String alertId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT alert_id, document FROM alerts WHERE alert_id = ?")) {
            query.setString(1, alertId);
            return alerts(query).stream().findFirst();
        }
    }

    private static List<Alert> alerts(PreparedStatement query) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                out.add(AlertDocument.read(rows.getString(1), rows.getString(2)));
            }
        }
        return out;
    }

    private static String path(String field) {
        return "$." + field;
    }
}
