package dev.cloudops.monitor.dedupe;

import dev.cloudops.trace.Tracing;
import java.time.Instant;
import java.util.Optional;

/**
 * Open-alert claims whose every operation is a {@code store claims.<operation>} subsegment, annotated with the
 * fingerprint and whether it is held, and for a claim with the alert id and whether it was applied.
 */
public record TracedOpenAlertClaims(OpenAlertClaims claims, Tracing tracing) implements OpenAlertClaims {

    @Override
    public Optional<Claim> holder(String fingerprint) {
        return tracing.subsegment("store claims.holder", span -> {
            span.annotate("fingerprint", fingerprint);
            Optional<Claim> holder = claims.holder(fingerprint);
            span.annotate("held", holder.isPresent());
            return holder;
        });
    }

    @Override
    public boolean claim(String fingerprint, String alertId, String replacing, Instant now) {
        return tracing.subsegment("store claims.claim", span -> {
            span.annotate("fingerprint", fingerprint).annotate("alert_id", alertId);
            boolean applied = claims.claim(fingerprint, alertId, replacing, now);
            span.annotate("applied", applied);
            return applied;
        });
    }
}
