package dev.cloudops.probe;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

/**
 * What every layer does alike with a failed read or write: tell an interrupted probe from the site's
 * failure, find the cause that names it, close quietly, and write its durations the same way.
 */
final class ProbeIo {

    private ProbeIo() {
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the probe's result is already known; a failed close changes nothing
        }
    }

    static void checkInterrupt() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("probe interrupted");
        }
    }

    static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String millis(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
