package dev.cloudops.monitor.dedupe;

import java.time.Instant;
import java.util.Optional;

/**
 * The one-open-alert-per-fingerprint rule, made race-free: before an alert is created its fingerprint
 * is claimed with a conditional write, so two overlapping runs cannot both raise one. A claim whose
 * alert is closed (or was never created) may be taken over by naming it as {@code replacing}.
 */
public interface OpenAlertClaims {

    /** Who holds a fingerprint: the alert id, and when it was claimed. */
    record Claim(String alertId, Instant claimedAt) {
    }

    /** The claim on this fingerprint, if any (read consistently). */
    Optional<Claim> holder(String fingerprint);

    /**
     * Claims the fingerprint for {@code alertId}: succeeds only if nobody holds it ({@code replacing}
     * null) or it is still held by {@code replacing}.
     *
     * @return false when another run claimed it first
     */
    boolean claim(String fingerprint, String alertId, String replacing, Instant now);
}
