package dev.cloudops.metrics.emf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.json.Json;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.Metrics;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Metrics as CloudWatch Embedded Metric Format: one JSON line per value, written whole in one call to
 * the stream it is given (standard output in Lambda, which CloudWatch Logs turns into metrics), never
 * through the logger, so the line is nothing but the EMF document. Every value carries the dimension
 * {@code Function}; a value with more dimensions is published both per function and per function and
 * those dimensions.
 */
public final class EmfMetrics implements Metrics {

    /** The namespace used when none is configured. */
    public static final String DEFAULT_NAMESPACE = "CloudopsAgent";
    /** Namespaces CloudWatch accepts for custom metrics: 1-255 printable characters, not under {@code AWS/}. */
    public static final Pattern NAMESPACE = Pattern.compile("(?!AWS/)[A-Za-z0-9 ._/#:-]{1,255}");


    private final String namespace;
    private final String function;
    private final PrintStream out;
    private final Clock clock;

    public EmfMetrics(String namespace, String function, PrintStream out, Clock clock) {
        if (!NAMESPACE.matcher(Objects.requireNonNull(namespace, "namespace")).matches()) {
            throw new IllegalArgumentException("not a CloudWatch namespace: '" + namespace + "'");
        }
        this.namespace = namespace;
        this.function = Objects.requireNonNull(function, "function");
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes to {@code System.out}: the Lambda runtime makes each of its lines one log event (and test
     * runners capture it), where writing to the file descriptor itself would bypass both.
     */
    public static EmfMetrics toStdout(String namespace, String function, Clock clock) {
        return new EmfMetrics(namespace, function, System.out, clock);
    }

    @Override
    public void put(Metric metric) {
        byte[] line = (document(metric) + "\n").getBytes(StandardCharsets.UTF_8);
        // One write per line: PrintStream writes it under its lock, so lines from other threads (and
        // the logger's) never interleave with it.
        out.write(line, 0, line.length);
        out.flush();
    }

    /** The EMF document for one value, without the line end. */
    String document(Metric metric) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode sets = directive.putArray("Dimensions");
        sets.addArray().add("Function");
        List<String> extra = metric.dimensions().keySet().stream()
                .filter(d -> !d.equals("Function")).sorted().toList();
        if (!extra.isEmpty()) {
            ArrayNode set = sets.addArray().add("Function");
            extra.forEach(set::add);
        }
        ObjectNode definition = directive.putArray("Metrics").addObject();
        definition.put("Name", metric.name().metricName());
        definition.put("Unit", metric.name().unit().cloudWatchName());
        for (Map.Entry<String, String> d : metric.dimensions().entrySet()) {
            root.put(d.getKey(), d.getValue());
        }
        root.put("Function", function);
        double value = metric.value();
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            root.put(metric.name().metricName(), (long) value);
        } else {
            root.put(metric.name().metricName(), value);
        }
        if (metric.alertId() != null) {
            root.put("alert_id", metric.alertId());
        }
        try {
            return Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
