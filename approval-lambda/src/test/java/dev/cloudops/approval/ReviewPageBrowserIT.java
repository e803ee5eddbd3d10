package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Severity;
import dev.cloudops.approval.http.PortalServer;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review page in a real browser (Debian's headless Chromium driven by Selenium): it renders the
 * analysis, the plan, what each probe region saw and what approving grants, injected markup stays inert, and a
 * person can approve with the form.
 * Screenshots are saved under target/ for the record.
 */
@ExtendWith(Emulators.class)
class ReviewPageBrowserIT {

    private static final String CHROMIUM = System.getProperty("cloudops.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("cloudops.chromedriver", "/usr/bin/chromedriver");

    private final Dynalite dynalite;
    private final S3Emulator s3;

    ReviewPageBrowserIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @Test
    void aPersonReadsThePlan_andApprovesInTheBrowser() throws IOException {
        assertThat(new File(CHROMIUM).canExecute()).as("Chromium is needed for this test (apt-get install chromium "
                + "chromium-driver; .ci/run installs it)").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver is needed (apt-get install chromium-driver)").isTrue();
        try (PortalTestBed bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "link", SessionScope.VARIABLE,
                PortalTestBed.EXECUTOR_ROLE));
             PortalServer server = PortalServer.start(new InetSocketAddress("127.0.0.1", 0), bed.portal::handle)) {
            Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
            SessionPolicy.Scoped policy = PortalTestBed.sessionPolicy("shop.example.com");
            bed.overwriteReport(alert, """
                    ## Executive Summary
                    The alias record of **shop.example.com** was deleted.
                    <script>window.injected = 'report';</script>
                    <img src=x onerror="window.injected = 'img'; document.title = 'pwned'">
                    [harmless looking](javascript:window.injected='link')

                    ## Root Cause
                    | When | What |
                    |---|---|
                    | 02:10 | ChangeResourceRecordSets DELETE |
                    """);
            Instant at = alert.timestamp();
            EvidencePack pack = new EvidencePack(alert.alertId(), "shop.example.com", at, List.of(new EvidenceItem("E1",
                    "route53:ListResourceRecordSets", PortalTestBed.ZONE, at, EvidenceStatus.OK,
                    "no A record named shop.example.com", null)));
            bed.overwriteEvidence(alert, new RegionalSplit("shop.example.com", 2, List.of(
                    new RegionResult("eu-west-1", Seen.FAILING, Layer.DNS, Classification.DNS_FAILURE, 412L, at),
                    new RegionResult("us-east-1", Seen.HEALTHY, null, Classification.HEALTHY, 88L, at),
                    RegionResult.silent("ap-southeast-2"))).addTo(pack));
            String url = server.baseUrl() + "/alerts/" + alert.alertId() + "?t=" + bed.token(alert.alertId());
            ChromeDriver browser = browser();
            try {
                browser.get(url);

                assertThat(browser.getTitle()).contains("shop.example.com").doesNotContain("pwned");
                assertThat(browser.findElement(By.cssSelector("#analysis-body h2")).getText())
                        .isEqualTo("Executive Summary");
                assertThat(browser.findElement(By.cssSelector("#analysis-body strong")).getText())
                        .isEqualTo("shop.example.com");
                assertThat(browser.findElement(By.cssSelector("#analysis-body")).getText())
                        .contains("<script>window.injected = 'report';</script>", "ChangeResourceRecordSets DELETE");
                List<WebElement> steps = browser.findElements(By.cssSelector("#plan-table tbody tr"));
                assertThat(steps).hasSize(2);
                assertThat(steps.getFirst().getText()).contains("route53.upsert_record", "record = absent");
                assertThat(steps.get(1).getText()).contains("cloudfront.create_invalidation");
                assertThat(browser.findElements(By.cssSelector("#analysis-body script, #analysis-body img"))).isEmpty();
                assertThat(((JavascriptExecutor) browser).executeScript("return window.injected === undefined"))
                        .isEqualTo(true);
                WebElement regions = browser.findElement(By.id("regions-table"));
                assertThat(regions.isDisplayed()).isTrue();
                assertThat(regions.findElement(By.tagName("caption")).getText())
                        .isEqualTo("1 of 3 regions see it failing; 2 needed for an alert. Cites evidence item E2.");
                List<WebElement> failing = regions.findElements(By.cssSelector("td.state-failing"));
                assertThat(failing).singleElement().satisfies(cell -> {
                    assertThat(cell.isDisplayed()).isTrue();
                    assertThat(cell.getText()).isEqualTo("failing: DNS_FAILURE");
                    // Readable without colour: bold, and outlined (an outline survives forced-colours mode).
                    assertThat(cell.getCssValue("font-weight")).isEqualTo("700");
                    assertThat(cell.getCssValue("outline-style")).isEqualTo("solid");
                });
                assertThat(regions.findElements(By.cssSelector("tbody tr")).stream().map(WebElement::getText).toList())
                        .containsExactly("eu-west-1 failing: DNS_FAILURE not reached not reached not reached 412 ms · "
                                        + Pages.time(at),
                                "us-east-1 ok ok ok ok 88 ms · " + Pages.time(at),
                                "ap-southeast-2 no result no result no result no result —");
                WebElement grants = browser.findElement(By.id("grants"));
                assertThat(grants.isDisplayed()).isTrue();
                assertThat(grants.getText()).contains("Approving lets the execution assume the role cloudops-executor "
                        + "for at most 15 minutes per attempt");
                assertThat(grants.findElements(By.cssSelector("#grants-list li")).stream().map(WebElement::getText)
                        .toList()).isEqualTo(policy.grants().stream().map(SessionPolicy.Grant::words).toList());
                assertThat(browser.findElement(By.id("policy-hash")).getText()).isEqualTo(policy.sha256());
                WebElement json = browser.findElement(By.id("policy-json"));
                assertThat(json.isDisplayed()).as("folded until asked for").isFalse();
                browser.findElement(By.cssSelector("#policy summary")).click();
                assertThat(json.isDisplayed()).isTrue();
                assertThat(json.getText()).isEqualTo(policy.json());
                screenshot(browser, "review-page.png");

                browser.findElement(By.id("approver")).sendKeys("Browser Person");
                browser.findElement(By.id("comment")).sendKeys("approved from the browser test");
                browser.findElement(By.id("approve")).click();
                WebElement outcome = new WebDriverWait(browser, Duration.ofSeconds(20))
                        .until(ExpectedConditions.visibilityOfElementLocated(By.id("outcome-message")));

                assertThat(outcome.getText()).isEqualTo("Approved. Execution of the plan has been started.");
                assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("APPROVED");
                screenshot(browser, "review-outcome.png");
            } finally {
                browser.quit();
            }
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
            assertThat(stored.approvals()).singleElement().satisfies(a -> {
                assertThat(a.by()).isEqualTo("Browser Person");
                assertThat(a.comment()).isEqualTo("approved from the browser test");
                assertThat(a.verified()).isFalse();
                assertThat(a.policyHash()).isEqualTo(policy.sha256());
            });
            assertThat(bed.executeMessages()).singleElement().satisfies(m -> {
                assertThat(m.path("alert_id").asText()).isEqualTo(alert.alertId());
                assertThat(m.path("plan_hash").asText()).isEqualTo(alert.planHash());
            });
        }
    }

    @Test
    void aPageOnAnotherSite_postingADecisionWithValidTokens_isRefusedAndAudited() throws IOException {
        assertThat(new File(CHROMIUM).canExecute()).as("Chromium is needed for this test").isTrue();
        try (PortalTestBed bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "link"));
             PortalServer server = PortalServer.start(new InetSocketAddress("127.0.0.1", 0), bed.portal::handle)) {
            Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
            String token = bed.token(alert.alertId());
            // The attacker holds a valid review link and the CSRF token of its page (e.g. a leaked link).
            String page = bed.getReview(alert.alertId(), token).path("body").asText();
            String csrf = PortalTestBed.requiredFormField(page, "csrf");
            String planHash = PortalTestBed.requiredFormField(page, "plan_hash");
            String action = server.baseUrl() + "/alerts/" + alert.alertId() + "/decision";
            String attack = """
                    <!doctype html><html><body>
                    <form method="post" action="%s">
                    <input type="hidden" name="t" value="%s"><input type="hidden" name="csrf" value="%s">
                    <input type="hidden" name="plan_hash" value="%s"><input type="hidden" name="decision" value="approve">
                    <input type="hidden" name="approver" value="Mallory">
                    </form><script>document.forms[0].submit();</script></body></html>
                    """.formatted(action, token, csrf, planHash);
            com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                    new InetSocketAddress("127.0.0.1", 0), 0);
            evil.createContext("/", exchange -> {
                byte[] body = attack.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            evil.start();
            ChromeDriver browser = browser();
            try {
                // Another origin: another host name and port than the portal's 127.0.0.1.
                browser.get("http://localhost:" + evil.getAddress().getPort() + "/");
                new WebDriverWait(browser, Duration.ofSeconds(20)).until(
                        d -> d.getCurrentUrl().startsWith(action));

                assertThat(browser.findElement(By.tagName("body")).getText())
                        .contains("cross-site request refused: Origin http://localhost:" + evil.getAddress().getPort()
                                + " is not this portal");
                screenshot(browser, "cross-site-refused.png");
            } finally {
                browser.quit();
                evil.stop(0);
            }
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
            assertThat(stored.approvals()).isEmpty();
            assertThat(stored.refusedAttempts()).isEqualTo(1);
            bed.audit.flush();
            assertThat(bed.refusals(alert.alertId())).singleElement()
                    .satisfies(e -> assertThat(e.path("result").asText()).isEqualTo("refused 403"));
            assertThat(bed.executeMessages()).isEmpty();
        }
    }

    private static ChromeDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("cloudops-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
