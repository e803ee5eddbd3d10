package dev.cloudops.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.cloudops.local.ReviewForms.enc;
import static dev.cloudops.local.ReviewForms.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.local.sqlite.SqliteAlertRepository;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.probe.TestSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner end to end over real HTTP on loopback: a broken target, the alert's Teams card at a
 * loopback webhook receiver, its review link followed, approval with the page's CSRF token, the dry-run
 * execution and its completion card, and what SQLite and the artifacts folder hold afterwards; then a
 * second run over the same data folder on another port, which gives the still open alert a working link.
 */
class LocalPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final TestSite site = TestSite.http();
    private final WireMockServer teams = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalPipeline pipeline;

    @BeforeEach
    void start() {
        teams.start();
        teams.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        site.switchUp(false);
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        teams.stop();
        site.close();
    }

    @Test
    void aBrokenTarget_isAlerted_approvedInThePortal_handedToAPerson_andResolvedWhenHealthy() throws Exception {
        Path config = dir.resolve("cloudops.yaml");
        Files.writeString(config, """
                data_dir: data
                portal: {host: 127.0.0.1, port: 0}
                probe_interval: 2s
                analysis_deadline: 20s
                notifications:
                  teams_webhook: %s/teams
                execution:
                  verify_deadline: 2s
                targets:
                  - url: %s
                    severity: medium
                    failures_before_alert: 1
                """.formatted(teams.baseUrl(), site.url("127.0.0.1", "/switch")));
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        pipeline = LocalPipeline.start(LocalConfig.load(config), Clock.systemUTC(), new PrintStream(console, true,
                StandardCharsets.UTF_8));

        JsonNode raised = awaitCard(c -> c.toString().contains("HTTP_ERROR on 127.0.0.1")
                && c.at("/attachments/0/content/actions/0/url").asText().contains("/alerts/"));
        URI review = URI.create(raised.at("/attachments/0/content/actions/0/url").asText());
        assertThat(review.toString()).startsWith(pipeline.portalUrl() + "/alerts/");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(review).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("default-src 'none'"));
        assertThat(page.body()).contains("answers HTTP 503", "manual.step", "decision-form");
        String alertId = review.getPath().substring("/alerts/".length());
        String form = "csrf=" + enc(field(page.body(), "csrf")) + "&t=" + enc(field(page.body(), "t"))
                + "&plan_hash=" + enc(field(page.body(), "plan_hash"))
                + "&decision=approve&approver=" + enc("E2E Tester") + "&comment=" + enc("checked by the test");

        Instant approving = Instant.now();
        HttpResponse<String> decided = http.send(HttpRequest.newBuilder(URI.create(pipeline.portalUrl() + "/alerts/"
                        + alertId + "/decision")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(decided.statusCode()).isEqualTo(200);
        assertThat(decided.body()).contains("Approved. Execution of the plan has been started.");
        // A plan for a person: nothing runs, nothing is called completed, and the alert stays open.
        JsonNode finished = awaitCard(c -> c.toString().contains("Action needed"));
        assertThat(finished.toString()).contains("the plan's step is for a person: nothing was run, and the target is "
                + "still failing").doesNotContain("COMPLETED");
        Alert stored = pipeline.alerts().find(alertId).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(stored.approvals()).singleElement().satisfies(a -> assertThat(a.by()).isEqualTo("E2E Tester"));
        assertThat(stored.executedAt()).as("nothing was executed").isNull();
        assertThat(stored.audit()).filteredOn(e -> e.action() == dev.cloudops.alert.AuditAction.HANDED_OVER)
                .singleElement().satisfies(e -> assertThat(e.at()).isAfterOrEqualTo(approving.minusSeconds(1)));
        Alert reread = new SqliteAlertRepository(SqliteDatabase.open(dir.resolve("data")), Duration.ofDays(7))
                .find(alertId).orElseThrow();
        assertThat(reread.state()).isEqualTo(AlertState.APPROVED);
        Path artifacts = dir.resolve("data/artifacts");
        assertThat(files(artifacts, "analyses")).singleElement().satisfies(f -> assertThat(Files.readString(f))
                .contains("## Root Cause", "answers 503"));
        assertThat(files(artifacts, "evidence")).hasSize(1);
        assertThat(files(artifacts, "executions")).singleElement().satisfies(f -> assertThat(Files.readString(f))
                .contains("- Mode: plan", "not executed: for a person", "WAITING FOR A PERSON"));
        String logLink = finished.at("/attachments/0/content/actions/0/url").asText();
        assertThat(logLink).startsWith(pipeline.portalUrl() + "/alerts/" + alertId + "/log?t=");
        HttpResponse<String> log = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(logLink)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("# Execution of alert " + alertId);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("review: " + pipeline.portalUrl() + "/alerts/"
                + alertId);

        site.switchUp(true); // the person fixed it: the next probe resolves the alert

        awaitCard(c -> c.toString().contains("Recovered"));
        assertThat(pipeline.alerts().find(alertId).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aSecondRunOverTheSameDataFolder_printsTheStillOpenAlertsReviewLink_onItsOwnPort() throws Exception {
        Path config = dir.resolve("cloudops.yaml");
        String target = site.url("127.0.0.1", "/switch").toString();
        Files.writeString(config, runConfig(0, target));
        ByteArrayOutputStream firstConsole = new ByteArrayOutputStream();
        pipeline = LocalPipeline.start(LocalConfig.load(config), Clock.systemUTC(), new PrintStream(firstConsole, true,
                StandardCharsets.UTF_8));
        int firstPort = pipeline.portalUrl().getPort();
        Matcher raised = awaitConsole(firstConsole, Pattern.compile("review: " + Pattern.quote(pipeline.portalUrl()
                + "/alerts/") + "([0-9A-Za-z_-]+)\\?t="));
        String alertId = raised.group(1);
        pipeline.close();
        int secondPort = freePortOtherThan(firstPort);
        Files.writeString(config, runConfig(secondPort, target));
        ByteArrayOutputStream secondConsole = new ByteArrayOutputStream();

        pipeline = LocalPipeline.start(LocalConfig.load(config), Clock.systemUTC(), new PrintStream(secondConsole, true,
                StandardCharsets.UTF_8));

        String printed = secondConsole.toString(StandardCharsets.UTF_8);
        Matcher link = Pattern.compile("\\[" + alertId + "\\] still open \\(PENDING_APPROVAL\\): "
                + "HTTP_ERROR on 127.0.0.1\n    review: (\\S+)").matcher(printed);
        assertThat(link.find()).as("the second run's console: %s", printed).isTrue();
        URI review = URI.create(link.group(1));
        assertThat(review.toString()).startsWith("http://127.0.0.1:" + secondPort + "/alerts/" + alertId + "?t=");
        assertThat(printed).doesNotContain(":" + firstPort + "/");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(review).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(alertId, "decision-form");
    }

    private static String runConfig(int port, String target) {
        return """
                data_dir: data
                portal: {host: 127.0.0.1, port: %d}
                probe_interval: 2s
                analysis_deadline: 20s
                targets:
                  - url: %s
                    severity: medium
                    failures_before_alert: 1
                """.formatted(port, target);
    }

    private static int freePortOtherThan(int port) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (socket.getLocalPort() != port) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static Matcher awaitConsole(ByteArrayOutputStream console, Pattern wanted) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(until)) {
            Matcher m = wanted.matcher(console.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no line matching " + wanted + " within 40 s; console: "
                + console.toString(StandardCharsets.UTF_8));
    }

    private JsonNode awaitCard(Predicate<JsonNode> wanted) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(until)) {
            Optional<JsonNode> card = teams.getAllServeEvents().stream().map(ServeEvent::getRequest)
                    .map(r -> parse(r.getBodyAsString())).filter(wanted).findFirst();
            if (card.isPresent()) {
                return card.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such Teams card within 40 s; received: " + teams.getAllServeEvents().stream()
                .map(e -> e.getRequest().getBodyAsString()).toList());
    }

    private static List<Path> files(Path artifacts, String prefix) throws IOException {
        Path folder = artifacts.resolve(prefix);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".meta.json")).toList();
        }
    }


    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
