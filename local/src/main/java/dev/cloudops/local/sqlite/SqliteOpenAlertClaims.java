package dev.cloudops.local.sqlite;

import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.time.Timestamps;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link OpenAlertClaims} on the {@code open_alert_claims} table of the local database, one row per fingerprint. */
public final class SqliteOpenAlertClaims implements OpenAlertClaims {

    private final SqliteDatabase database;

    public SqliteOpenAlertClaims(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public Optional<Claim> holder(String fingerprint) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT alert_id, claimed_at FROM open_alert_claims WHERE fingerprint = ?")) {
                query.setString(1, fingerprint);
                try (ResultSet row = query.executeQuery()) {
                    return row.next()
                            ? Optional.of(new Claim(row.getString(1), Timestamps.parse(row.getString(2))))
                            : Optional.<Claim>empty();
                }
            }
        });
    }

    @Override
    public boolean claim(String fingerprint, String alertId, String replacing, Instant now) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(alertId, "alertId");
        return database.write(c -> {
            if (replacing == null) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO open_alert_claims"
                        + " (fingerprint, alert_id, claimed_at) VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING")) {
                    insert.setString(1, fingerprint);
                    insert.setString(2, alertId);
                    insert.setString(3, Timestamps.format(now));
                    return insert.executeUpdate() == 1;
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE open_alert_claims SET alert_id = ?,"
                    + " claimed_at = ? WHERE fingerprint = ? AND alert_id = ?")) {
                update.setString(1, alertId);
                update.setString(2, Timestamps.format(now));
                update.setString(3, fingerprint);
                update.setString(4, replacing);
                return update.executeUpdate() == 1;
            }
        });
    }
}
