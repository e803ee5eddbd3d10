package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;
import dev.cloudops.logging.LogContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a newly raised alert to analysis and announces it, without letting a slow analysis hold the
 * announcement back past its deadline. Separate because how and when an alert is announced changes
 * independently of when it is raised.
 */
final class AlertAnnouncer implements NewAlertHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(AlertAnnouncer.class);

    private final Investigator investigator;
    private final MonitorEvents events;
    private final Duration analysisDeadline;

    AlertAnnouncer(Investigator investigator, MonitorEvents events, Duration analysisDeadline) {
        this.investigator = investigator;
        this.events = events;
        this.analysisDeadline = analysisDeadline;
    }

    @Override
    public Outcome handOff(Alert created) {
        return new Outcome(analyseAndAnnounce(created), null);
    }

    /**
     * Analyses a new alert and announces it. When analysis takes longer than the deadline, the alert is
     * announced without it first, and the analysis follows when it arrives.
     */
    Alert analyseAndAnnounce(Alert created) {
        CompletableFuture<Alert> analysis = new CompletableFuture<>();
        Thread.ofVirtual().name("analysis-" + created.alertId()).start(() -> analysis.complete(investigate(created)));
        try {
            Alert analysed = analysis.get(analysisDeadline.toMillis(), TimeUnit.MILLISECONDS);
            events.raised(analysed);
            return analysed;
        } catch (TimeoutException late) {
            try (var ignored = LogContext.alert(created.alertId())) {
                LOG.warn("analysis is taking longer than {}; announcing the alert without it", analysisDeadline);
            }
            events.raised(created);
            Alert analysed = analysis.join();
            events.analysisArrived(analysed);
            return analysed;
        } catch (ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            events.raised(created);
            return created;
        }
    }

    /** Analysis of a new alert; the alert as it stands afterwards (still DETECTED if analysis failed). */
    private Alert investigate(Alert created) {
        try {
            return investigator.investigate(created);
        } catch (RuntimeException e) {
            try (var ignored = LogContext.alert(created.alertId())) {
                LOG.error("the investigation of the alert failed; it stays DETECTED", e);
            }
            return created;
        }
    }
}
