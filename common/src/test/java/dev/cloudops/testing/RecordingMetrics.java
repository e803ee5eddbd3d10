package dev.cloudops.testing;

import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.metrics.Metrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Metrics} that keeps every value, for tests to assert on. */
public final class RecordingMetrics implements Metrics {

    private final List<Metric> recorded = new CopyOnWriteArrayList<>();

    @Override
    public void put(Metric metric) {
        recorded.add(metric);
    }

    public List<Metric> all() {
        return List.copyOf(recorded);
    }

    /** Every value of one metric, in the order recorded. */
    public List<Metric> of(MetricName name) {
        return recorded.stream().filter(m -> m.name() == name).toList();
    }

    /** The values alone of one metric. */
    public List<Double> values(MetricName name) {
        return of(name).stream().map(Metric::value).toList();
    }
}
