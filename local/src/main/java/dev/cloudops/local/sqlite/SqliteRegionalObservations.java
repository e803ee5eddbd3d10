package dev.cloudops.local.sqlite;

import dev.cloudops.monitor.quorum.RegionalObservation;
import dev.cloudops.monitor.quorum.RegionalObservations;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * {@link RegionalObservations} on the {@code regional_observations} table of the local database: the latest
 * observation of each target from each probe site, one row per (site, target). A write replaces the row only
 * when it was observed later than the stored one (an upsert whose update is conditional on time), so a late
 * or repeated write never hides a newer observation. Instants are kept to the millisecond, as the DynamoDB
 * store keeps them.
 */
public final class SqliteRegionalObservations implements RegionalObservations {

    private final SqliteDatabase database;

    public SqliteRegionalObservations(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public boolean record(RegionalObservation observation) {
        String sql = "INSERT INTO regional_observations (region, url, layer, classification, latency_ms, observed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (region, url) DO UPDATE SET layer = excluded.layer,"
                + " classification = excluded.classification, latency_ms = excluded.latency_ms,"
                + " observed_at = excluded.observed_at"
                + " WHERE excluded.observed_at > regional_observations.observed_at";
        return database.write(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setString(1, observation.region());
                statement.setString(2, observation.target().toString());
                statement.setString(3, observation.layer() == null ? null : observation.layer().name());
                statement.setString(4, observation.classification().name());
                if (observation.latency() == null) {
                    statement.setNull(5, Types.INTEGER);
                } else {
                    statement.setLong(5, observation.latency().toMillis());
                }
                statement.setLong(6, observation.observedAt().toEpochMilli());
                // An upsert whose update's WHERE is false changes no row.
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<RegionalObservation> latest(URI target, Collection<String> regions) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(regions));
        if (distinct.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT region, layer, classification, latency_ms, observed_at FROM regional_observations"
                + " WHERE url = ? AND region IN (" + String.join(", ", distinct.stream().map(r -> "?").toList()) + ")"
                + " ORDER BY region";
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement(sql)) {
                query.setString(1, target.toString());
                for (int i = 0; i < distinct.size(); i++) {
                    query.setString(i + 2, distinct.get(i));
                }
                List<RegionalObservation> found = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        found.add(observation(target, row));
                    }
                }
                return found;
            }
        });
    }

    private static RegionalObservation observation(URI target, ResultSet row) throws SQLException {
        String layer = row.getString("layer");
        long latency = row.getLong("latency_ms");
        boolean noLatency = row.wasNull();
        return new RegionalObservation(target, row.getString("region"),
                layer == null ? null : Layer.valueOf(layer),
                Classification.valueOf(row.getString("classification")),
                noLatency ? null : Duration.ofMillis(latency),
                Instant.ofEpochMilli(row.getLong("observed_at")));
    }
}
