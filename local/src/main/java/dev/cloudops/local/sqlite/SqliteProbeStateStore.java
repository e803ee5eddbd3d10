package dev.cloudops.local.sqlite;

import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.probe.Classification;
import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ProbeStateStore} on the {@code probe_states} table of the local database: one row per target, keyed by
 * its URL; with several probe sites, one row per target and site, keyed {@code <site>#<url>}, so that each site
 * keeps its own streak of failures and successes (as the DynamoDB store does per probe region).
 */
public final class SqliteProbeStateStore implements ProbeStateStore {

    private final SqliteDatabase database;
    private final String prefix;

    /** One streak per target: a single probe site. */
    public SqliteProbeStateStore(SqliteDatabase database) {
        this(database, null);
    }

    /** One streak per target and {@code site}, or per target when {@code site} is null. */
    public SqliteProbeStateStore(SqliteDatabase database, String site) {
        this.database = Objects.requireNonNull(database, "database");
        if (site != null && (site.isBlank() || site.contains("#"))) {
            throw new IllegalArgumentException("a probe site is a name without blanks or '#': '" + site + "'");
        }
        this.prefix = site == null ? "" : site + "#";
    }

    private String key(URI url) {
        return prefix + url;
    }

    @Override
    public Optional<ProbeState> find(URI url) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT consecutive_failures, consecutive_successes,"
                    + " last_result, last_details, last_change, last_probed, alerting, version"
                    + " FROM probe_states WHERE url = ?")) {
                query.setString(1, key(url));
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(state(url, row)) : Optional.<ProbeState>empty();
                }
            }
        });
    }

    @Override
    public boolean save(ProbeState next) {
        // Version 1 (or 0) is a first write: only when there is no row yet. Later ones need the previous version.
        String sql = next.version() <= 1
                ? "INSERT INTO probe_states (consecutive_failures, consecutive_successes, last_result, last_details,"
                        + " last_change, last_probed, alerting, version, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (url) DO NOTHING"
                : "UPDATE probe_states SET consecutive_failures = ?, consecutive_successes = ?, last_result = ?,"
                        + " last_details = ?, last_change = ?, last_probed = ?, alerting = ?, version = ?"
                        + " WHERE url = ? AND version = ?";
        return database.write(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setInt(1, next.consecutiveFailures());
                statement.setInt(2, next.consecutiveSuccesses());
                statement.setString(3, next.lastClassification() == null ? null : next.lastClassification().name());
                statement.setString(4, next.lastDetails());
                statement.setString(5, format(next.lastChangeAt()));
                statement.setString(6, format(next.lastProbedAt()));
                statement.setBoolean(7, next.alerting());
                statement.setLong(8, next.version());
                statement.setString(9, key(next.url()));
                if (next.version() > 1) {
                    statement.setLong(10, next.version() - 1);
                }
                return statement.executeUpdate() == 1;
            }
        });
    }

    private static ProbeState state(URI url, ResultSet row) throws SQLException {
        String lastResult = row.getString("last_result");
        return new ProbeState(url,
                row.getInt("consecutive_failures"),
                row.getInt("consecutive_successes"),
                lastResult == null ? null : Classification.valueOf(lastResult),
                row.getString("last_details"),
                parse(row.getString("last_change")),
                parse(row.getString("last_probed")),
                row.getBoolean("alerting"),
                row.getLong("version"));
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }

    private static Instant parse(String text) {
        return text == null ? null : Timestamps.parse(text);
    }
}
