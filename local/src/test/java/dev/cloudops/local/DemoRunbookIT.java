package dev.cloudops.local;

import static dev.cloudops.local.ReviewForms.enc;
import static dev.cloudops.local.ReviewForms.field;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.ApprovalStatus;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Page;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.local.demo.DemoCloud;
import dev.cloudops.local.demo.DemoRecurrence;
import dev.cloudops.local.demo.DemoSite;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteRunbookStore;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo's learned-runbook loop, in process, through the real pipeline (the real AWS SDK clients against the
 * demo account, the real evidence collector, executors and verification) and the real portal over HTTP: the shop's
 * certificate alert is approved on its review page, the validation record is restored and verified, a candidate
 * runbook is learned, {@code runbooks promote} makes it active, the problem recurs, and the new alert's plan is the
 * runbook's, which verifies again.
 */
class DemoRunbookIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private DemoBed bed;
    private DemoCloud cloud;
    private LocalPipeline pipeline;
    private Path data;

    @BeforeEach
    void start() throws Exception {
        bed = new DemoBed(dir, console);
        cloud = bed.cloud;
        pipeline = bed.pipeline;
        data = bed.config.dataDir();
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void theSecondTimeTheCertificateProblemOccurs_thePlanComesFromThePromotedRunbook() throws Exception {
        assertThat(pipeline.dryRun()).as("the demo account's credentials are used").isFalse();
        Alert first = raisedShopAlert(List.of());
        assertThat(first.analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(first.plan()).contains("route53.upsert_record", DemoCloud.VALIDATION_NAME, DemoCloud.ZONE_ID);

        approve(first);

        Alert completed = await(first.alertId(), a -> a.state() == AlertState.COMPLETED);
        assertThat(completed.state()).isEqualTo(AlertState.COMPLETED);
        assertThat(cloud.changes()).containsExactly("CREATE " + DemoCloud.VALIDATION_NAME + ". CNAME ["
                + DemoCloud.VALIDATION_VALUE + ".]");
        assertThat(cloud.renewed()).isTrue();
        SqliteRunbookStore runbooks = new SqliteRunbookStore(SqliteDatabase.open(data));
        // The lesson is stored just after the outcome: wait for it rather than read it at once.
        List<Runbook> learned = eventually(() -> runbooks.list(Runbook.Status.CANDIDATE, 10), l -> !l.isEmpty());
        assertThat(learned).hasSize(1);
        Runbook candidate = learned.getFirst();
        assertThat(candidate.taughtBy()).isEqualTo(first.alertId());
        assertThat(candidate.verifiedSuccesses()).isEqualTo(1);
        assertThat(candidate.template().issueType()).isEqualTo(IssueType.CERT_EXPIRING);
        pipeline.probeRound(); // the shop is healthy now

        StringWriter promoted = new StringWriter();
        int exit = new CommandLine(new CloudopsCli()).setOut(new PrintWriter(promoted, true))
                .execute("runbooks", "promote", candidate.id(), "--by", "Demo Tester", "--data", data.toString());
        assertThat(exit).as(promoted.toString()).isZero();
        assertThat(promoted.toString()).contains("runbook " + candidate.id() + " promoted by Demo Tester");
        DemoRecurrence recurrence = new DemoRecurrence(cloud, runbooks, Duration.ZERO, Clock.systemUTC(),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(recurrence.check()).isTrue();
        assertThat(recurrence.check()).as("the problem comes back once").isFalse();
        assertThat(cloud.renewed()).isFalse();

        Alert second = raisedShopAlert(List.of(first.alertId()));

        assertThat(second.analyzer()).isEqualTo(Analyzer.RUNBOOK);
        assertThat(second.issueType()).isEqualTo(IssueType.CERT_EXPIRING);
        EvidencePack pack = EvidencePack.fromJsonBytes(pipeline.artifacts().get(second.evidenceKey()).content());
        Runbook active = runbooks.find(candidate.id()).orElseThrow();
        assertThat(active.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(active.promotedBy()).isEqualTo("Demo Tester");
        RunbookTemplate.Binding binding = active.template().bind(second.issueType(), pack);
        assertThat(binding).isInstanceOf(RunbookTemplate.Binding.Bound.class);
        assertThat(((PlanParse.Valid) PlanJson.parse(second.plan())).plan())
                .isEqualTo(((RunbookTemplate.Binding.Bound) binding).plan());
        String page = http.send(HttpRequest.newBuilder(reviewLink(second.alertId())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<dt>Analysed by</dt><dd>runbook</dd>", "Proposed by runbook " + candidate.id()
                + ", learned from alert " + first.alertId() + ", promoted by Demo Tester");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("[demo] A year later: ");

        approve(second);

        assertThat(await(second.alertId(), a -> a.state() == AlertState.COMPLETED).state())
                .isEqualTo(AlertState.COMPLETED);
        assertThat(cloud.changes()).hasSize(3).last().asString().startsWith("CREATE " + DemoCloud.VALIDATION_NAME);
        assertThat(eventually(() -> runbooks.find(candidate.id()).orElseThrow(), r -> r.verifiedSuccesses() == 2)
                .verifiedSuccesses()).isEqualTo(2);
        assertThat(runbooks.list(Runbook.Status.CANDIDATE, 10)).isEmpty();
    }

    /** Probes until the shop's alert (other than {@code earlier}) has been analysed; the alert as stored then. */
    private Alert raisedShopAlert(List<String> earlier) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            pipeline.probeRound();
            Optional<Alert> raised = pending().stream().filter(a -> a.domain().equals(DemoSite.SHOP_HOST)
                    && !earlier.contains(a.alertId())).findFirst();
            if (raised.isPresent()) {
                return raised.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no shop alert pending approval within 60 s; console: "
                + console.toString(StandardCharsets.UTF_8));
    }

    private List<Alert> pending() {
        List<Alert> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Alert> page = pipeline.alerts().listByStatus(ApprovalStatus.PENDING_APPROVAL, 100, cursor);
            all.addAll(page.items());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }

    /** Approves on the review page, as a person following the console's link does. */
    private void approve(Alert alert) throws Exception {
        String page = http.send(HttpRequest.newBuilder(reviewLink(alert.alertId())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String form = "csrf=" + enc(field(page, "csrf")) + "&t=" + enc(field(page, "t"))
                + "&plan_hash=" + enc(field(page, "plan_hash"))
                + "&decision=approve&approver=" + enc("Demo Tester") + "&comment=" + enc("restore the record");
        HttpResponse<String> decided = http.send(HttpRequest.newBuilder(URI.create(pipeline.portalUrl() + "/alerts/"
                        + alert.alertId() + "/decision")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(decided.body()).contains("Approved. Execution of the plan has been started.");
    }

    private URI reviewLink(String alertId) {
        Matcher m = Pattern.compile("review: (\\S+/alerts/" + alertId + "\\?t=\\S+)")
                .matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as("the console has the review link of %s", alertId).isTrue();
        return URI.create(m.group(1));
    }

    /** {@code read} until what it gives is {@code wanted}, for at most 30 s; the last value read. */
    private static <T> T eventually(Supplier<T> read, Predicate<T> wanted) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        T value = read.get();
        while (!wanted.test(value) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
            value = read.get();
        }
        return value;
    }

    private Alert await(String alertId, Predicate<Alert> wanted) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(90);
        Alert alert = pipeline.alerts().find(alertId).orElseThrow();
        while (!wanted.test(alert) && Instant.now().isBefore(until)) {
            Thread.sleep(250);
            alert = pipeline.alerts().find(alertId).orElseThrow();
        }
        return alert;
    }
}
