package dev.cloudops.monitor;

import dev.cloudops.alert.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The hand-off while no analyser is built in: says so, and leaves the alert DETECTED. */
final class NoInvestigator implements Investigator {

    private static final Logger LOG = LoggerFactory.getLogger(NoInvestigator.class);

    @Override
    public void investigate(Alert detected) {
        try (var ignored = MDC.putCloseable("alert_id", detected.alertId())) {
            LOG.info("no analyser is configured in this version; the alert stays DETECTED");
        }
    }
}
