package dev.cloudops.metrics;

/**
 * Where the functions' operational metrics go. An implementation never throws and never makes a
 * network call on the caller's path: metrics must not fail or slow the work they measure.
 */
public interface Metrics {

    /** Discards every value; for tests and runs without CloudWatch. */
    Metrics NONE = metric -> { };

    /** Records one value. */
    void put(Metric metric);
}
