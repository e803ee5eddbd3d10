package dev.cloudops.monitor;

import static dev.cloudops.monitor.ConditionalWrites.ATTEMPTS;
import static dev.cloudops.monitor.ConditionalWrites.backOff;

import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.logging.LogContext;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.target.Target;
import dev.cloudops.probe.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps at most one open alert per fingerprint through the open-alert claims: a confirmed failure
 * counts on the open alert or raises a new one, and a confirmed recovery resolves the open ones.
 * Separate because the dedupe rules and their races with overlapping runs change on their own.
 */
final class OpenAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAlerts.class);
    /** How long a claim without its alert counts as an overlapping run still creating it. */
    private static final Duration CLAIM_GRACE = Duration.ofSeconds(30);
    /** Alerts a recovery may close: nothing has been changed for them yet. */
    private static final Set<AlertState> RECOVERABLE =
            EnumSet.of(AlertState.DETECTED, AlertState.PENDING_APPROVAL, AlertState.APPROVED);

    /**
     * An alert raised by this run ({@code created}), or the open one that counted this failure; and what its
     * hand-off could not do (null when nothing).
     */
    record Raised(Alert alert, boolean created, String shortfall) {
    }

    private final OpenAlertClaims claims;
    private final AlertRepository alerts;
    private final NewAlertHandOff handOff;
    private final MonitorEvents events;
    private final Supplier<String> ids;
    private final Clock clock;
    private final Metrics metrics;
    private final boolean regionalAlerts;

    /** With {@code regionalAlerts} (several probe regions), recoveries also resolve regional-reachability alerts. */
    OpenAlerts(OpenAlertClaims claims, AlertRepository alerts, NewAlertHandOff handOff, MonitorEvents events,
            Supplier<String> ids, Clock clock, Metrics metrics, boolean regionalAlerts) {
        this.claims = claims;
        this.alerts = alerts;
        this.handOff = handOff;
        this.events = events;
        this.ids = ids;
        this.clock = clock;
        this.metrics = metrics;
        this.regionalAlerts = regionalAlerts;
    }

    /**
     * The open alert counts this failure, or a new one is raised; {@code streakStart} is the first probe
     * that saw this classification, from which detection latency is measured.
     */
    Raised raiseOrCount(Target target, ProbeResult result, Actor actor, String reason, Instant now,
            Instant streakStart) {
        IssueType type = result.classification().issueType();
        return raiseOrCount(target, result, Alert.fingerprintOf(domain(target), type), target.severity(),
                result.details(), actor, reason, now, streakStart);
    }

    /**
     * A failure seen from too few probe regions for a site-wide alert, persisting: counts on the open
     * regional-reachability alert or raises one, LOW, described by {@code details} (which names the regions). Under
     * its own fingerprint, so a failure the quorum later confirms still raises its own alert at the target's
     * severity, and the regional one is resolved when its region recovers.
     */
    Raised raiseOrCountRegional(Target target, ProbeResult result, String details, Actor actor, Instant now,
            Instant streakStart) {
        return raiseOrCount(target, result, regionalFingerprint(domain(target), result.classification().issueType()),
                Severity.LOW, details, actor, null, now, streakStart);
    }

    /** The fingerprint of a regional-reachability alert: the site-wide one's, marked regional. */
    static String regionalFingerprint(String domain, IssueType type) {
        return Alert.fingerprintOf(domain, type) + "#regional";
    }

    private static String domain(Target target) {
        return target.url().getHost().toLowerCase(Locale.ROOT);
    }

    private Raised raiseOrCount(Target target, ProbeResult result, String fingerprint, Severity severity,
            String probeDetails, Actor actor, String reason, Instant now, Instant streakStart) {
        IssueType type = result.classification().issueType();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<OpenAlertClaims.Claim> holder = claims.holder(fingerprint);
            String replacing = null;
            if (holder.isPresent()) {
                String heldBy = holder.get().alertId();
                Optional<Alert> counted = alerts.recordOccurrence(heldBy, now);
                if (counted.isPresent()) {
                    try (var ignored = LogContext.alert(heldBy)) {
                        LOG.info("{} still failing ({}): occurrence {} of the open alert", target.url(),
                                result.classification(), counted.get().occurrences());
                    }
                    return new Raised(counted.get(), false, null);
                }
                Optional<Alert> stored = alerts.find(heldBy);
                if (stored.isPresent() && stored.get().isOpen()) {
                    continue; // stored by an overlapping run just now: count on it next time round
                }
                if (stored.isEmpty() && holder.get().claimedAt().isAfter(now.minus(CLAIM_GRACE))) {
                    // Claimed a moment ago by an overlapping run that has not stored its alert yet.
                    backOff(attempt);
                    continue;
                }
                replacing = heldBy; // its alert is closed, or was never stored by a run that died
            }
            String alertId = ids.get();
            if (!claims.claim(fingerprint, alertId, replacing, now)) {
                backOff(attempt);
                continue;
            }
            String details = reason == null ? probeDetails : probeDetails + " (" + reason + ")";
            Alert created = alerts.create(Alert.detect(alertId, now, target.url(), type, severity, details, actor)
                    .toBuilder().fingerprint(fingerprint).build());
            metrics.put(Metric.of(MetricName.ALERTS_GENERATED, 1).severity(created.severity()).alert(alertId));
            metrics.put(Metric.of(MetricName.DETECTION_LATENCY, Duration.between(streakStart, clock.instant()))
                    .severity(created.severity()).alert(alertId));
            NewAlertHandOff.Outcome outcome = handOff.handOff(created);
            return new Raised(outcome.alert(), true, outcome.shortfall());
        }
        throw new CloudopsException("the open alert for " + fingerprint + " kept changing under concurrent runs; "
                + "gave up after " + ATTEMPTS + " attempts");
    }

    /** Resolves the target's open alerts that nothing has been changed for yet; their ids. */
    List<String> recover(Target target, ProbeResult result, Actor actor, Instant now) {
        String domain = target.url().getHost().toLowerCase(Locale.ROOT);
        List<String> resolved = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        for (IssueType type : IssueType.values()) {
            fingerprints.add(Alert.fingerprintOf(domain, type));
            if (regionalAlerts) {
                fingerprints.add(regionalFingerprint(domain, type));
            }
        }
        for (String fingerprint : fingerprints) {
            Optional<String> holder = claims.holder(fingerprint).map(OpenAlertClaims.Claim::alertId);
            if (holder.isEmpty()) {
                continue;
            }
            Optional<Alert> alert = alerts.find(holder.get());
            for (int attempt = 0; attempt < ATTEMPTS && alert.isPresent()
                    && RECOVERABLE.contains(alert.get().state()); attempt++) {
                TransitionResult outcome = alerts.apply(alert.get().resolveRecovered(actor,
                        "the target is healthy again: " + result.details(), now));
                if (outcome instanceof TransitionResult.Applied applied) {
                    // Recovered before anyone decided: the alert need not have been raised.
                    boolean undecided = alert.get().state() != AlertState.APPROVED && alert.get().approvals().isEmpty();
                    metrics.put(Metric.sample(MetricName.FALSE_POSITIVE_RATE, undecided)
                            .severity(applied.alert().severity()).alert(applied.alert().alertId()));
                    resolved.add(applied.alert().alertId());
                    events.recovered(applied.alert());
                    break;
                }
                alert = outcome instanceof TransitionResult.Conflict c ? Optional.of(c.current()) : Optional.empty();
            }
        }
        return resolved;
    }
}
