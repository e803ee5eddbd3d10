package dev.cloudops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.local.LocalConfig;
import dev.cloudops.local.LocalPipeline;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local pipeline latency over 50 alerts (issue 8): from the probe seeing the failure (the alert's detection
 * time) to the Teams payload arriving at a loopback webhook (rule engine), and from POST approve to the
 * execution's start (its EXECUTION_STARTED event). Prints p50/p99 of each.
 */
public final class LocalPipelineBenchmark {

    private static final int ALERTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ALERT_LINK = Pattern.compile("/alerts/([0-9A-Z]{26})\\?t=");

    private LocalPipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Instant> cardArrived = new ConcurrentHashMap<>();
        Map<String, String> reviewLinks = new ConcurrentHashMap<>();
        HttpServer teams = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        teams.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        teams.createContext("/teams", exchange -> {
            Instant now = Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode card = JSON.readTree(body);
            String link = card.at("/attachments/0/content/actions/0/url").asText();
            Matcher m = ALERT_LINK.matcher(link);
            if (body.contains("HTTP_ERROR on 127.0.0.") && m.find()) {
                cardArrived.putIfAbsent(m.group(1), now);
                reviewLinks.putIfAbsent(m.group(1), link);
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        teams.start();
        List<HttpServer> targets = new ArrayList<>();
        StringBuilder targetYaml = new StringBuilder();
        for (int i = 1; i <= ALERTS; i++) {
            HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0." + (i + 1), 0), 0);
            broken.createContext("/", exchange -> {
                byte[] b = "Service Unavailable".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, b.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(b);
                }
            });
            broken.start();
            targets.add(broken);
            targetYaml.append("  - url: http://127.0.0.").append(i + 1).append(':').append(broken.getAddress().getPort())
                    .append("/health\n    severity: medium\n    failures_before_alert: 1\n");
        }
        Path dir = Files.createTempDirectory("cloudops-bench-");
        Path config = dir.resolve("cloudops.yaml");
        Files.writeString(config, "data_dir: data\nportal: {host: 127.0.0.1, port: 0}\nprobe_interval: 1h\n"
                + "notifications: {teams_webhook: \"http://127.0.0.1:" + teams.getAddress().getPort() + "/teams\"}\n"
                + "execution: {verify_deadline: 1s, max_per_hour: 1000, max_concurrent: 50}\ntargets:\n" + targetYaml);
        LocalPipeline pipeline = LocalPipeline.start(LocalConfig.load(config), Clock.systemUTC(),
                new PrintStream(OutputStream.nullOutputStream()));
        Instant until = Instant.now().plusSeconds(120);
        while (cardArrived.size() < ALERTS && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        List<Long> detection = new ArrayList<>();
        for (var e : cardArrived.entrySet()) {
            Alert alert = pipeline.alerts().find(e.getKey()).orElseThrow();
            detection.add(Duration.between(alert.timestamp(), e.getValue()).toMillis());
        }
        HttpClient http = HttpClient.newHttpClient();
        Pattern field = Pattern.compile("name=\"(csrf|t|plan_hash)\" value=\"([^\"]+)\"");
        Map<String, Instant> approvedAt = new ConcurrentHashMap<>();
        for (var e : reviewLinks.entrySet()) {
            String page = http.send(HttpRequest.newBuilder(URI.create(e.getValue())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = field.matcher(page);
            StringBuilder form = new StringBuilder("decision=approve&approver=bench");
            while (m.find()) {
                form.append('&').append(m.group(1)).append('=').append(URLEncoder.encode(m.group(2)
                        .replace("&amp;", "&"), StandardCharsets.UTF_8));
            }
            Instant sent = Instant.now();
            HttpResponse<String> decided = http.send(HttpRequest.newBuilder(URI.create(pipeline.portalUrl() + "/alerts/"
                            + e.getKey() + "/decision")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (decided.statusCode() != 200) {
                throw new IllegalStateException("approval of " + e.getKey() + " answered " + decided.statusCode());
            }
            approvedAt.put(e.getKey(), sent);
        }
        List<Long> toExecution = new ArrayList<>();
        Instant wait = Instant.now().plusSeconds(120);
        while (toExecution.size() < approvedAt.size() && Instant.now().isBefore(wait)) {
            toExecution.clear();
            for (var e : approvedAt.entrySet()) {
                pipeline.alerts().find(e.getKey()).flatMap(a -> a.audit().stream()
                        .filter(ev -> ev.action() == AuditAction.EXECUTION_STARTED).map(AuditEvent::at).findFirst())
                        .ifPresent(started -> toExecution.add(Duration.between(e.getValue(), started).toMillis()));
            }
            Thread.sleep(100);
        }
        pipeline.close();
        targets.forEach(t -> t.stop(0));
        teams.stop(0);
        System.out.printf("alerts notified: %d of %d%n", detection.size(), ALERTS);
        System.out.printf("detection -> Teams payload: p50 %d ms, p99 %d ms, max %d ms%n", percentile(detection, 50),
                percentile(detection, 99), percentile(detection, 100));
        System.out.printf("approvals: %d; POST approve -> execution start: p50 %d ms, p99 %d ms, max %d ms%n",
                toExecution.size(), percentile(toExecution, 50), percentile(toExecution, 99), percentile(toExecution, 100));
        System.exit(0);
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
