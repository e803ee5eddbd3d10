package dev.cloudops.logging;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/** Hands out one {@link JsonLogger} per name, all writing to the same stream. */
final class JsonLoggerFactory implements ILoggerFactory {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final Level threshold;
    private final PrintStream out;
    private final MDCAdapter mdc;

    JsonLoggerFactory(Level threshold, PrintStream out, MDCAdapter mdc) {
        this.threshold = threshold;
        this.out = out;
        this.mdc = mdc;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, threshold, out, mdc));
    }
}
