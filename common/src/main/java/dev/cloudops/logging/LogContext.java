package dev.cloudops.logging;

import org.slf4j.MDC;

/** Puts {@code alert_id} on every log line of a block and restores what was there before (blocks nest). */
public final class LogContext implements AutoCloseable {

    private static final String KEY = "alert_id";

    private final String previous;

    private LogContext(String previous) {
        this.previous = previous;
    }

    public static LogContext alert(String alertId) {
        LogContext context = new LogContext(MDC.get(KEY));
        MDC.put(KEY, alertId);
        return context;
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
