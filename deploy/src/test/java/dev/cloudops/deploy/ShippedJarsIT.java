package dev.cloudops.deploy;

import static dev.cloudops.deploy.ShippedJars.encode;
import static dev.cloudops.deploy.ShippedJars.event;
import static dev.cloudops.deploy.ShippedJars.field;
import static dev.cloudops.deploy.ShippedJars.root;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.EmulatedAccount;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import dev.cloudops.testing.ShippedFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each function's shipped (shrunk) jar, exactly as the Makefile hands it to SAM, run in its own JVM with
 * only that jar on the classpath, the handler class named in template.yaml, and an environment pointing at
 * emulators. A class, resource or service entry the shrinking dropped fails here, not in Lambda.
 */
@ExtendWith(Emulators.class)
class ShippedJarsIT {

    private static final Pattern NATIVE_LIBRARY = Pattern.compile(".*\\.(so|dylib|dll|jnilib)(\\.[0-9.]+)?");

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private EmulatedAccount account;

    ShippedJarsIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        account = new EmulatedAccount(dynalite, s3);
    }

    @AfterEach
    void stop() {
        account.close();
    }

    @Test
    void monitorJar_raisesAnAlertForAFailingSite_storesItsReport_andNotifiesTeams() {
        try (ShippedFunction monitor = ShippedJars.start("MonitorFunction", "monitor-lambda",
                account.monitorEnvironment())) {

            JsonNode reports = json(monitor.invoke(event("monitor-lambda", "scheduled-event.json", Map.of())));

            report("monitor", monitor);
            assertThat(reports.at("/0/trigger").asText()).isEqualTo("schedule");
            assertThat(reports.at("/0/targets/0/action").asText()).as(monitor.log()).isEqualTo("RAISED");
            String alertId = reports.at("/0/targets/0/alert_ids/0").asText();
            Alert alert = account.alerts().find(alertId).orElseThrow();
            assertThat(alert.state()).isEqualTo(AlertState.PENDING_APPROVAL);
            assertThat(account.object(alert.s3AnalysisKey())).contains("## Executive Summary");
            assertThat(account.object(alert.evidenceKey())).contains("route53:ListHostedZonesByName");
            assertThat(account.teamsPosts()).singleElement().satisfies(post -> assertThat(post)
                    .contains("HTTP_ERROR on 127.0.0.1", "https://review.example.com/alerts/" + alertId + "?t="));
        }
    }

    @Test
    void approvalJar_rendersTheReviewPage_thenRecordsAnApproval_andPublishesTheExecuteMessage() {
        Alert alert = account.pendingAlert();
        String token = account.reviewToken(alert.alertId());
        try (ShippedFunction approval = ShippedJars.start("ApprovalFunction", "approval-lambda",
                account.approvalEnvironment())) {

            JsonNode page = json(approval.invoke(event("approval-lambda", "get-review.json",
                    Map.of("ALERT_ID", alert.alertId(), "TOKEN", token))));
            String form = "csrf=" + encode(csrf(page.path("body").asText())) + "&t=" + encode(token)
                    + "&plan_hash=" + field(ShippedJars.PLAN_HASH, page.path("body").asText()) + "&decision=approve&approver=" + encode("Lee Ops") + "&comment=" + encode("restore it");
            JsonNode decided = json(approval.invoke(event("approval-lambda", "post-decision-form.json", Map.of(
                    "ALERT_ID", alert.alertId(), "CONTENT_LENGTH", Integer.toString(form.length()),
                    "FORM_BASE64", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8))))));

            report("approval", approval);
            assertThat(page.path("statusCode").asInt()).as(approval.log()).isEqualTo(200);
            assertThat(page.path("body").asText()).contains("shop.example.com", "<h2>Executive Summary</h2>",
                    "<td>NXDOMAIN</td>", "<code>route53.upsert_record</code>", "id=\"approve\"");
            assertThat(decided.path("statusCode").asInt()).as(decided.toString()).isEqualTo(200);
            assertThat(decided.path("body").asText()).contains("Approved. Execution of the plan has been started.");
            Alert stored = account.alerts().find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
            assertThat(stored.approvals()).singleElement().satisfies(a -> assertThat(a.by()).isEqualTo("Lee Ops"));
            assertThat(account.publishedMessages()).singleElement().satisfies(m -> assertThat(m)
                    .contains(alert.alertId(), alert.planHash()));
        }
    }

    @Test
    void executionJar_runsAnApprovedRoute53AndCloudFrontPlan_toCompletion() {
        Alert alert = account.approvedAlert();
        String message = "{\"alert_id\":\"" + alert.alertId() + "\",\"plan_hash\":\"" + alert.planHash() + "\"}";
        try (ShippedFunction execution = ShippedJars.start("ExecutionFunction", "execution-lambda",
                account.executionEnvironment())) {

            JsonNode outcomes = json(execution.invoke(event("execution-lambda", "sns-execute.json",
                    Map.of("MESSAGE", message, "ALERT_ID", alert.alertId()))));

            report("execution", execution);
            assertThat(outcomes.at("/0/outcome").asText()).as(outcomes + "\n" + execution.log()).isEqualTo("COMPLETED");
            assertThat(account.requests(RequestMethod.POST, "/rrset/")).as("throttled once, then accepted").hasSize(2)
                    .last().satisfies(r -> assertThat(r.getBodyAsString()).contains("<Action>CREATE</Action>",
                            "<Name>shop.example.com</Name>"));
            assertThat(account.requests(RequestMethod.PUT, "/config")).singleElement().satisfies(r -> {
                assertThat(r.getHeader("If-Match")).isEqualTo(EmulatedAccount.ETAG);
                assertThat(r.getBodyAsString()).contains("<Enabled>true</Enabled>", "<Id>shop-origin</Id>");
            });
            Alert stored = account.alerts().find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.COMPLETED);
            assertThat(stored.executionLogUrl()).startsWith("s3://" + account.bucket() + "/executions/");
            assertThat(account.object(stored.executionLogUrl().substring(("s3://" + account.bucket() + "/").length())))
                    .contains("## Steps", "route53:ChangeResourceRecordSets", "cloudfront:UpdateDistribution",
                            "**COMPLETED**");
            assertThat(account.teamsPosts()).singleElement().satisfies(t -> assertThat(t).contains("Remediation COMPLETED"));
        }
    }

    @Test
    void noShippedJar_carriesANativeLibrary() throws IOException {
        for (String module : List.of("monitor-lambda", "approval-lambda", "execution-lambda")) {
            Path jar = root().resolve(module).resolve("target").resolve(module + ".jar");

            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertThat(zip.stream().map(ZipEntry::getName).filter(name -> NATIVE_LIBRARY.matcher(name).matches()))
                        .as("native libraries in %s (pure Java runs on whichever architecture the template names)",
                                jar.getFileName())
                        .isEmpty();
            }
        }
    }

    @Test
    void theTrimOfUnusedSdkOperations_keepsEveryOperationThePoliciesAllowTheCodeToCall() throws IOException {
        // IAM prefix -> SDK service package, where they differ
        Map<String, String> packages = Map.of("bedrock", "bedrockagentruntime", "logs", "cloudwatchlogs", "ses", "sesv2");
        // The executor role's calls are the execution function's code too, made in the plan's session.
        Map<String, String> modules = Map.of("MonitorFunction", "monitor-lambda", "ApprovalFunction", "approval-lambda",
                "ExecutionFunction", "execution-lambda", "ExecutorRole", "execution-lambda");
        for (var function : PermissionsTest.CALLS.entrySet()) {
            Path report = root().resolve(modules.get(function.getKey())).resolve("target").resolve("sdk-operations.txt");

            List<String> lines = Files.readAllLines(report);

            assertThat(lines).as("classes %s dropped", report).anyMatch(line -> line.startsWith("dropped "));
            for (String action : function.getValue().keySet()) {
                String prefix = action.substring(0, action.indexOf(':'));
                String operation = action.substring(action.indexOf(':') + 1);
                String request = "dropped software/amazon/awssdk/services/" + packages.getOrDefault(prefix, prefix)
                        + "/model/" + operation + "Request.class";
                assertThat(lines).as("%s calls %s", function.getKey(), action).doesNotContain(request);
            }
        }
    }

    /** The first-invocation times, for the record (issue 9); asserted nowhere, timings are noisy here. */
    private static void report(String function, ShippedFunction f) {
        System.out.printf("first invocation of the shipped %s jar: handler constructed %d ms after JVM launch "
                        + "(constructor %d ms), first invocation answered at %d ms%n", function,
                f.launchToConstructedMillis(), f.constructorMillis(), f.launchToFirstAnswerMillis());
    }

    private static JsonNode json(byte[] output) {
        try {
            return Template.JSON.readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csrf(String html) {
        return field(ShippedJars.CSRF, html);
    }
}
