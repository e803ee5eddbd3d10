package dev.cloudops.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Severity;
import dev.cloudops.metrics.Metric;
import dev.cloudops.metrics.MetricName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-27T02:24:37.120Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final EmfMetrics metrics = new EmfMetrics("CloudopsAgent", "monitor",
            new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void put_writesOneLine_thatIsAnEmfDocumentWithTheValueItsDimensionsAndTheAlert() throws Exception {
        metrics.put(Metric.of(MetricName.ALERTS_GENERATED, 1).severity(Severity.HIGH).alert("01JDETECTED"));

        List<String> lines = lines();

        assertThat(lines).hasSize(1);
        assertThat(EmfSpecification.violations(lines.getFirst())).isEmpty();
        JsonNode line = JSON.readTree(lines.getFirst());
        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("CloudopsAgent");
        assertThat(directive.get("Dimensions")).isEqualTo(JSON.readTree("[[\"Function\"],[\"Function\",\"Severity\"]]"));
        assertThat(directive.get("Metrics")).isEqualTo(JSON.readTree("[{\"Name\":\"AlertsGenerated\",\"Unit\":\"Count\"}]"));
        assertThat(line.get("AlertsGenerated").asDouble()).isEqualTo(1.0);
        assertThat(line.get("Function").asText()).isEqualTo("monitor");
        assertThat(line.get("Severity").asText()).isEqualTo("high");
        assertThat(line.get("alert_id").asText()).isEqualTo("01JDETECTED");
    }

    @Test
    void everyMetric_withOrWithoutDimensions_meetsTheSpecification() {
        for (MetricName name : MetricName.values()) {
            metrics.put(Metric.of(name, 12.5));
            metrics.put(Metric.of(name, Duration.ofMillis(1500)).with("TokenType", "input").severity(Severity.LOW)
                    .alert("01JX"));
        }

        List<String> lines = lines();

        assertThat(lines).hasSize(2 * MetricName.values().length);
        assertThat(lines).allSatisfy(line -> assertThat(EmfSpecification.violations(line)).as(line).isEmpty());
    }

    @Test
    void aDurationIsWrittenInMilliseconds_andARateSampleAsZeroOrOne() throws Exception {
        metrics.put(Metric.of(MetricName.EXECUTION_DURATION, Duration.ofSeconds(2)));
        metrics.put(Metric.sample(MetricName.APPROVAL_RATE, false));

        List<String> lines = lines();

        JsonNode duration = JSON.readTree(lines.get(0));
        assertThat(duration.get("ExecutionDuration").asLong()).isEqualTo(2000);
        assertThat(duration.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText()).isEqualTo("Milliseconds");
        assertThat(duration.at("/_aws/CloudWatchMetrics/0/Dimensions")).hasSize(1);
        assertThat(duration.has("alert_id")).isFalse();
        assertThat(JSON.readTree(lines.get(1)).get("ApprovalRate").asDouble()).isZero();
    }

    @Test
    void concurrentValues_neverShareALine() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 400; i++) {
            int n = i;
            pool.submit(() -> metrics.put(Metric.of(MetricName.AGENT_TOKENS_USED, n).with("TokenType", "output")));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        List<String> lines = lines();

        assertThat(lines).hasSize(400);
        assertThat(lines).allSatisfy(line -> assertThat(EmfSpecification.violations(line)).isEmpty());
    }

    @Test
    void theCheck_findsWhatTheSpecificationForbids() {
        String noTimestamp = "{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[\"Function\"]],"
                + "\"Metrics\":[{\"Name\":\"X\",\"Unit\":\"Count\"}]}]},\"Function\":\"monitor\",\"X\":1}";
        String badReferences = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"Function\"]],\"Metrics\":[{\"Name\":\"X\",\"Unit\":\"Things\"}]}]},"
                + "\"Function\":3,\"X\":\"one\"}";

        assertThat(EmfSpecification.violations(noTimestamp)).containsExactly(
                "_aws.Timestamp must be a number of milliseconds since the epoch");
        assertThat(EmfSpecification.violations(badReferences)).containsExactlyInAnyOrder(
                "dimension Function must be a member of the root with a string value",
                "MetricDefinition.Unit must be a CloudWatch unit, was \"Things\"",
                "metric X must be a member of the root with a number (or up to 100 numbers)");
        assertThat(EmfSpecification.violations("log: {}")).isNotEmpty();
    }

    @Test
    void aNamespaceCloudWatchRefuses_isRefusedAtConstruction() {
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new EmfMetrics("AWS/Lambda", "monitor", out, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmfMetrics("", "monitor", out, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return new ArrayList<>(Arrays.asList(text.split("\n")));
    }
}
