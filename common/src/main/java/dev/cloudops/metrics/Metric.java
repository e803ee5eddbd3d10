package dev.cloudops.metrics;

import dev.cloudops.alert.Severity;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One value of one metric, with the dimensions that qualify it beyond the emitting function and the
 * alert it concerns (null when none), e.g. {@code Metric.of(ALERTS_GENERATED, 1).severity(HIGH).alert(id)}.
 */
public record Metric(MetricName name, double value, Map<String, String> dimensions, String alertId) {

    public Metric {
        Objects.requireNonNull(name, "name");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name.metricName() + " needs a finite value, got " + value);
        }
        dimensions = Map.copyOf(dimensions);
    }

    public static Metric of(MetricName name, double value) {
        return new Metric(name, value, Map.of(), null);
    }

    /** A duration, in milliseconds. */
    public static Metric of(MetricName name, Duration duration) {
        return of(name, duration.toMillis());
    }

    /** A 0/1 sample of a rate: 1 when {@code hit}. */
    public static Metric sample(MetricName name, boolean hit) {
        return of(name, hit ? 1 : 0);
    }

    /** This value with one more dimension. */
    public Metric with(String dimension, String dimensionValue) {
        Map<String, String> more = new TreeMap<>(dimensions);
        more.put(Objects.requireNonNull(dimension, "dimension"), Objects.requireNonNull(dimensionValue, "value"));
        return new Metric(name, value, more, alertId);
    }

    /** This value qualified by the alert's severity, in lower case ({@code Severity=high}). */
    public Metric severity(Severity severity) {
        return with("Severity", severity.name().toLowerCase(Locale.ROOT));
    }

    /** This value about one alert. */
    public Metric alert(String id) {
        return new Metric(name, value, dimensions, id);
    }
}
