package dev.cloudops.local.sqlite;

import dev.cloudops.execution.precheck.ExecutionLimits;
import dev.cloudops.execution.precheck.ResourceLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Locks and limits in the local database, each call one write transaction: resource locks as rows
 * {@code lock#<resource>} of the {@code locks} table, running slots as rows {@code exec#slot#<n>} (a slot is
 * a lock, so a crashed execution frees it when it expires), and the count of the current clock hour in
 * {@code executions_per_hour}. Expiry is to the second, as in the DynamoDB store.
 */
public final class SqliteControlLocks implements ResourceLocks, ExecutionLimits {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private final SqliteDatabase database;
    private final Duration lockFor;
    private final int maxConcurrent;
    private final int maxPerHour;

    public SqliteControlLocks(SqliteDatabase database, Duration lockFor, int maxConcurrent, int maxPerHour) {
        this.database = Objects.requireNonNull(database, "database");
        if (lockFor.isNegative() || lockFor.isZero()) {
            throw new IllegalArgumentException("lockFor must be positive, was " + lockFor);
        }
        if (maxConcurrent < 1 || maxPerHour < 1) {
            throw new IllegalArgumentException("maxConcurrent and maxPerHour must be at least 1, were "
                    + maxConcurrent + " and " + maxPerHour);
        }
        this.lockFor = lockFor;
        this.maxConcurrent = maxConcurrent;
        this.maxPerHour = maxPerHour;
    }

    @Override
    public Optional<String> lockAll(List<String> resources, String owner, Instant now) {
        return database.write(c -> {
            List<String> taken = new ArrayList<>();
            for (String resource : resources.stream().sorted().distinct().toList()) {
                Optional<String> holder = tryLock(c, "lock#" + resource, owner, now);
                if (holder.isPresent()) {
                    for (String r : taken) {
                        unlock(c, "lock#" + r, owner);
                    }
                    return Optional.of(resource + " is locked by the execution of alert " + holder.get());
                }
                taken.add(resource);
            }
            return Optional.<String>empty();
        });
    }

    @Override
    public void releaseAll(List<String> resources, String owner) {
        database.write(c -> {
            for (String resource : resources) {
                unlock(c, "lock#" + resource, owner);
            }
            return null;
        });
    }

    @Override
    public Optional<String> acquire(String owner, Instant now) {
        return database.write(c -> {
            String slot = null;
            for (int i = 0; i < maxConcurrent && slot == null; i++) {
                if (tryLock(c, "exec#slot#" + i, owner, now).isEmpty()) {
                    slot = "exec#slot#" + i;
                }
            }
            if (slot == null) {
                return Optional.of(maxConcurrent + " executions are already running (the most allowed at once)");
            }
            String hour = HOUR.format(now);
            if (!countInHour(c, now, hour)) {
                unlock(c, slot, owner);
                return Optional.of(maxPerHour + " executions already ran in the hour " + hour + " UTC (the most allowed)");
            }
            return Optional.<String>empty();
        });
    }

    @Override
    public void release(String owner) {
        database.write(c -> {
            for (int i = 0; i < maxConcurrent; i++) {
                unlock(c, "exec#slot#" + i, owner);
            }
            return null;
        });
    }

    /** Takes the lock row when it is free, expired or already ours; otherwise names the holder. */
    private Optional<String> tryLock(Connection c, String name, String owner, Instant now) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO locks (name, owner, expires_at)"
                + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
                + " expires_at = excluded.expires_at WHERE locks.expires_at < ? OR locks.owner = ?")) {
            upsert.setString(1, name);
            upsert.setString(2, owner);
            upsert.setLong(3, now.plus(lockFor).getEpochSecond());
            upsert.setLong(4, now.getEpochSecond());
            upsert.setString(5, owner);
            if (upsert.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement query = c.prepareStatement("SELECT owner FROM locks WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return Optional.of(row.next() ? row.getString(1) : "another execution");
            }
        }
    }

    /** Counts one execution in this hour unless the hour is full; forgets hours long past (DynamoDB's TTL). */
    private boolean countInHour(Connection c, Instant now, String hour) throws SQLException {
        try (PreparedStatement forget = c.prepareStatement("DELETE FROM executions_per_hour WHERE hour < ?")) {
            forget.setString(1, HOUR.format(now.minus(Duration.ofHours(2))));
            forget.executeUpdate();
        }
        try (PreparedStatement count = c.prepareStatement("INSERT INTO executions_per_hour (hour, executions)"
                + " VALUES (?, 1) ON CONFLICT (hour) DO UPDATE SET executions = executions + 1 WHERE executions < ?")) {
            count.setString(1, hour);
            count.setInt(2, maxPerHour);
            return count.executeUpdate() == 1;
        }
    }

    private static void unlock(Connection c, String name, String owner) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM locks WHERE name = ? AND owner = ?")) {
            delete.setString(1, name);
            delete.setString(2, owner);
            delete.executeUpdate();
        }
    }
}
