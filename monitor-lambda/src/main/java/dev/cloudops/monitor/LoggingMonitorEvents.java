package dev.cloudops.monitor;

import dev.cloudops.logging.LogContext;
import dev.cloudops.alert.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records monitor events as log lines (one per event, with the alert id) until notifications exist. */
public final class LoggingMonitorEvents implements MonitorEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingMonitorEvents.class);

    @Override
    public void raised(Alert alert) {
        try (var ignored = LogContext.alert(alert.alertId())) {
            LOG.warn("alert raised: {} {} on {} ({})", alert.severity(), alert.issueType(), alert.domain(),
                    alert.errorDetails());
        }
    }

    @Override
    public void analysisArrived(Alert analysed) {
        try (var ignored = LogContext.alert(analysed.alertId())) {
            LOG.info("late analysis arrived: alert is {}", analysed.state());
        }
    }

    @Override
    public void recovered(Alert resolved) {
        try (var ignored = LogContext.alert(resolved.alertId())) {
            LOG.info("target recovered: {} {} on {} resolved", resolved.issueType(), resolved.alertId(),
                    resolved.domain());
        }
    }

    @Override
    public void expired(Alert expired) {
        try (var ignored = LogContext.alert(expired.alertId())) {
            LOG.info("alert expired: nobody decided in time");
        }
    }
}
