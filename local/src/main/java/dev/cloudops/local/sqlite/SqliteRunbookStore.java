package dev.cloudops.local.sqlite;

import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookJson;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.time.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RunbookStore} on the {@code runbooks} table of the local database: one row per runbook, the runbook whole
 * as its {@link RunbookJson} document beside the columns queries use ({@code status}, {@code learned_at} in the
 * fixed-width form of {@link Timestamps}, so it sorts, and {@code version}). {@link #learned} reads and writes in
 * one write transaction, which holds the database's write lock, so concurrent learners queue and each counts;
 * {@link #replace} is an {@code UPDATE} on the expected version, as the alerts table's transitions are.
 */
public final class SqliteRunbookStore implements RunbookStore {

    private final SqliteDatabase database;

    public SqliteRunbookStore(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Creates the runbook (learned at {@code at}, version 1) when none has its id, else adds one verified success. */
    @Override
    public Runbook learned(Runbook candidate, Instant at) {
        return database.write(c -> {
            Optional<Runbook> stored = find(c, candidate.id());
            if (stored.isPresent()) {
                Runbook s = stored.get();
                Runbook next = with(s, s.verifiedSuccesses() + 1, s.learnedAt(), s.version() + 1);
                if (update(c, next, s.version()) != 1) {
                    throw new SqliteStoreException("runbook " + s.id() + " changed inside a write transaction");
                }
                return next;
            }
            Runbook created = with(candidate, candidate.verifiedSuccesses(), at, 1);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO runbooks"
                    + " (id, status, learned_at, version, document) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, created.id());
                insert.setString(2, created.status().name());
                insert.setString(3, Timestamps.format(created.learnedAt()));
                insert.setLong(4, created.version());
                insert.setString(5, RunbookJson.write(created));
                insert.executeUpdate();
            }
            return created;
        });
    }

    @Override
    public Optional<Runbook> find(String id) {
        return database.read(c -> find(c, id));
    }

    @Override
    public List<Runbook> list(Runbook.Status status, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT document, version FROM runbooks"
                    + " WHERE status = ? ORDER BY learned_at DESC, id LIMIT ?")) {
                query.setString(1, status.name());
                query.setInt(2, limit);
                List<Runbook> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(runbook(rows));
                    }
                }
                return found;
            }
        });
    }

    @Override
    public Optional<Runbook> replace(Runbook next) {
        Runbook stored = with(next, next.verifiedSuccesses(), next.learnedAt(), next.version() + 1);
        int updated = database.write(c -> update(c, stored, next.version()));
        return updated == 1 ? Optional.of(stored) : Optional.empty();
    }

    /** Writes {@code next} over the row if it is at {@code previous}; the number of rows written (0 or 1). */
    private static int update(Connection c, Runbook next, long previous) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE runbooks SET status = ?, learned_at = ?,"
                + " version = ?, document = ? WHERE id = ? AND version = ?")) {
            update.setString(1, next.status().name());
            update.setString(2, Timestamps.format(next.learnedAt()));
            update.setLong(3, next.version());
            update.setString(4, RunbookJson.write(next));
            update.setString(5, next.id());
            update.setLong(6, previous);
            return update.executeUpdate();
        }
    }

    private static Optional<Runbook> find(Connection c, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT document, version FROM runbooks WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(runbook(rows)) : Optional.empty();
            }
        }
    }

    /** The row's runbook; the version column, which the conditional updates test, is the one that counts. */
    private static Runbook runbook(ResultSet row) throws SQLException {
        Runbook runbook = RunbookJson.read(row.getString("document"));
        long version = row.getLong("version");
        return runbook.version() == version ? runbook
                : with(runbook, runbook.verifiedSuccesses(), runbook.learnedAt(), version);
    }

    private static Runbook with(Runbook r, int verifiedSuccesses, Instant learnedAt, long version) {
        return new Runbook(r.id(), r.template(), r.status(), r.taughtBy(), learnedAt, r.uses(), verifiedSuccesses,
                r.lastFailureAt(), r.lastFailure(), r.autoApproveAfter(), r.autoApprovalBy(), r.promotedBy(),
                r.promotedAt(), version);
    }
}
