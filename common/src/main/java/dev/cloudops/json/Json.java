package dev.cloudops.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One plain {@link ObjectMapper} for the process, built on first use. Classes that a function constructs
 * during INIT take it from here instead of holding their own in a static field: loading jackson-databind
 * (about 500 classes) took 100 – 130 ms of each function's INIT before anything needed it
 * (bench/ColdStartBenchmark, docs/performance.md). Under SnapStart the priming's warm-up builds it before
 * the snapshot. An ObjectMapper is thread-safe once configured, and this one is never reconfigured.
 */
public final class Json {

    private Json() {
    }

    /** The shared mapper (default configuration); do not configure it. */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
