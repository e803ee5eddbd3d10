package dev.cloudops.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.Resolution;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.testing.BedrockStandIn;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The execution function end to end through its handler: real SNS event JSON in, WireMock as Route 53 and
 * CloudFront, the DynamoDB and S3 emulators, and a loopback target that turns healthy (or not) after the change.
 */
@ExtendWith(Emulators.class)
class PlanExecutorIT {

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private ExecutionTestBed bed;

    PlanExecutorIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        bed = new ExecutionTestBed(dynalite, s3);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void theSigningKey_isReadWhenTheFirstLinkIsMade_onceForTheInstance_notWhileStarting() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        ExecutionHandler handler = bed.handler();
        assertThat(keyReads()).as("nothing read while starting").isZero();

        bed.execute(handler, bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2)));
        bed.site.switchUp(false);
        bed.execute(handler, bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2)));

        assertThat(keyReads()).as("read for the first link, kept for the next").isEqualTo(1);
        assertThat(bed.aws.teams()).hasSize(2).allSatisfy(t -> assertThat(t.getBodyAsString())
                .contains("https://review.example.com/alerts/"));
    }

    @Test
    void aSigningKeyThatCannotBeRead_losesNoOutcome_theNotificationLinksTheLogDirectly() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        bed.aws.server.stubFor(post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.SecretId",
                        equalTo(AwsStandIn.KEY_ARN)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"AccessDeniedException\",\"Message\":\"not allowed\"}")));
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.COMPLETED);
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString())
                .contains("Remediation COMPLETED", "/" + bed.bucket + "/executions/", "X-Amz-Signature")
                .doesNotContain("review.example.com"));
    }

    private int keyReads() {
        return (int) bed.aws.server.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString()
                .contains(AwsStandIn.KEY_ARN)).count();
    }

    @Test
    void anApprovedPlan_runsWithIfMatch_verifies_andIsRecordedEverywhere() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        LoggedRequest update = bed.aws.requests(RequestMethod.PUT, "/config").getFirst();
        assertThat(update.getHeader("If-Match")).isEqualTo(ExecutionTestBed.ETAG);
        assertThat(update.getBodyAsString()).contains("<Enabled>true</Enabled>", "<Id>shop-origin</Id>");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.COMPLETED);
        assertThat(stored.resolution()).isEqualTo(Resolution.REMEDIATED);
        assertThat(stored.executedAt()).isNotNull();
        assertThat(stored.executionDuration()).isPositive();
        assertThat(stored.executionLogUrl()).startsWith("s3://" + bed.bucket + "/executions/");
        assertThat(stored.audit()).extracting(e -> e.action()).contains(AuditAction.EXECUTION_STARTED,
                AuditAction.EXECUTION_FINISHED);
        String log = bed.object(ExecutionTestBed.key(stored.executionLogUrl()));
        assertThat(log).contains("## Prechecks", "✔ plan hash", "✔ issue still present", "## Preflight",
                "| etag | " + ExecutionTestBed.ETAG + " | " + ExecutionTestBed.ETAG + " |", "## Steps",
                "cloudfront:UpdateDistribution", "IfMatch " + ExecutionTestBed.ETAG,
                "7d5f6c1e-0000-4000-8000-000000000200", "## Verification", "HEALTHY", "**COMPLETED**",
                "Permission: not checked (no executor role ARN configured)");
        assertThat(bed.keys("executions/archive/")).singleElement().satisfies(k -> assertThat(bed.object(k))
                .contains("\"state\" : \"COMPLETED\"", alert.alertId()));
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString())
                .contains("Remediation COMPLETED", "Execution log",
                        "https://review.example.com/alerts/" + alert.alertId() + "/log?t="));
        assertThat(bed.metrics.values(MetricName.EXECUTIONS_TRIGGERED)).containsExactly(1.0);
        assertThat(bed.metrics.values(MetricName.EXECUTION_SUCCESS_RATE)).containsExactly(1.0);
        assertThat(bed.metrics.values(MetricName.EXECUTION_ERRORS)).containsExactly(0.0);
        assertThat(bed.metrics.of(MetricName.EXECUTION_DURATION)).singleElement().satisfies(m -> {
            assertThat(m.value()).isEqualTo(stored.executionDuration().toMillis(), within(50.0));
            assertThat(m.alertId()).isEqualTo(alert.alertId());
        });
    }

    @Test
    void withAnAuditLogGroup_everyEventOfTheRunIsWrittenThere_inOneBatch() throws Exception {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        for (String target : List.of("Logs_20140328.CreateLogStream", "Logs_20140328.PutLogEvents")) {
            bed.aws.server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target))
                    .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{}")));
        }
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(Map.of("AUDIT_LOG_GROUP", "/aws/cloudops-agent/audit"),
                Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        List<LoggedRequest> puts = bed.aws.server.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("Logs_20140328.PutLogEvents")));
        assertThat(puts).hasSize(1);
        JsonNode put = new ObjectMapper().readTree(puts.getFirst().getBodyAsString());
        assertThat(put.get("logGroupName").asText()).isEqualTo("/aws/cloudops-agent/audit");
        assertThat(put.get("logStreamName").asText()).startsWith("execution/");
        List<String> actions = new ArrayList<>();
        for (JsonNode event : put.get("logEvents")) {
            JsonNode line = new ObjectMapper().readTree(event.get("message").asText());
            assertThat(line.get("alert_id").asText()).isEqualTo(alert.alertId());
            actions.add(line.get("action").asText());
        }
        List<String> newOnTheAlert = bed.alerts.find(alert.alertId()).orElseThrow().audit().stream()
                .skip(alert.audit().size()).map(e -> e.action().name()).toList();
        assertThat(actions).containsExactlyElementsOf(newOnTheAlert).contains("EXECUTION_STARTED", "EXECUTION_FINISHED");
    }

    @Test
    void driftSinceAnalysis_isRefusedAtPreflight_andNothingIsWritten() {
        bed.aws.distribution("E9SOMEONEELSE", false);
        bed.aws.updatesMatching("E9SOMEONEELSE", "E10");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("preflight refused the plan",
                "etag was '" + ExecutionTestBed.ETAG + "' at analysis, is 'E9SOMEONEELSE' now");
        assertThat(bed.aws.writes()).isEmpty();
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.FAILED);
    }

    @Test
    void aStaleEtagAtExecution_failsTheStep_andNothingStaysChanged() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching("E7CHANGEDMEANWHILE", "E8");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("PreconditionFailed", "nothing had been changed");
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).singleElement()
                .satisfies(r -> assertThat(r.getHeader("If-Match")).isEqualTo(ExecutionTestBed.ETAG));
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(bed.object(ExecutionTestBed.key(stored.executionLogUrl())))
                .contains("refused: PreconditionFailed", "5b0a7a6c-0000-4000-8000-000000000412");
    }

    @Test
    void aFailingSecondStep_rollsBackTheFirst_withTheExactRecordItCreated() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.acceptChanges();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching("E7CHANGEDMEANWHILE", "E8");
        Alert alert = bed.approved(ExecutionTestBed.recordThenEnable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        List<LoggedRequest> changes = bed.aws.requests(RequestMethod.POST, "/rrset/");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).getBodyAsString()).contains("<Action>CREATE</Action>", "<Name>shop.example.com</Name>")
                .doesNotContain("<Action>DELETE</Action>");
        assertThat(changes.get(1).getBodyAsString()).contains("<Action>DELETE</Action>", "<Name>shop.example.com</Name>",
                "d111111abcdef8.cloudfront.net").doesNotContain("<Action>CREATE</Action>");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.ROLLED_BACK);
        assertThat(bed.object(ExecutionTestBed.key(stored.executionLogUrl()))).contains("## Rollback", "undo S1",
                "undone");
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString())
                .contains("ROLLED_BACK", "step S2 (cloudfront.set_enabled) failed"));
        assertThat(bed.metrics.values(MetricName.EXECUTION_SUCCESS_RATE)).containsExactly(0.0);
        assertThat(bed.metrics.values(MetricName.EXECUTION_ERRORS)).containsExactly(1.0);
    }

    @Test
    void aFixThatDoesNotHeal_isRolledBack_afterVerification() {
        bed.fixWorks = false;
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, ExecutionTestBed.ETAG);

        JsonNode outcome = bed.execute(bed.handler(), bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2)));

        assertThat(outcome.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(outcome.path("detail").asText()).contains("the target was still failing after the plan",
                "the changes were rolled back; undone: S1");
        List<LoggedRequest> updates = bed.aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).getBodyAsString()).contains("<Enabled>false</Enabled>");
    }

    @Test
    void aRouteChangeRefusedForDrift_byRoute53_failsWithItsReason() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.refuseChanges();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);

        JsonNode outcome = bed.execute(bed.handler(), bed.approved(ExecutionTestBed.recordThenEnable(),
                Duration.ofMinutes(2)));

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("Route 53 refused the change", "InvalidChangeBatch");
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).isEmpty();
    }

    @Test
    void aThrottledChange_isRetried_andTheRunCompletes() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.throttleFirstChange();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");

        JsonNode outcome = bed.execute(bed.handler(), bed.approved(ExecutionTestBed.recordThenEnable(),
                Duration.ofMinutes(2)));

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(bed.aws.requests(RequestMethod.POST, "/rrset/")).hasSize(2);
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).hasSize(1);
    }

    @Test
    void aStepTheRoleMayNotMake_isRefusedAtPreflight() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.simulation("implicitDeny");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(Map.of("EXECUTOR_ROLE_ARN",
                ExecutionTestBed.EXECUTOR), Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("its credentials may not: cloudfront:UpdateDistribution"
                + " on arn:aws:cloudfront::123456789012:distribution/" + AwsStandIn.DISTRIBUTION + ": implicitDeny");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void inAgentMode_theAgentsCallOfTheApprovedStepRuns_andTheHandlerCompletes() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        try (BedrockStandIn bedrock = BedrockStandIn.start()) {
            JsonNode outcome = bed.executeByAgentEnablingTheDistribution(bedrock, alert, Map.of());

            assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
            assertThat(bedrock.prompt()).contains("Someone disabled it at 02:10.", alert.planHash());
            assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).singleElement()
                    .satisfies(r -> assertThat(r.getHeader("If-Match")).isEqualTo(ExecutionTestBed.ETAG));
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(bed.object(ExecutionTestBed.key(stored.executionLogUrl()))).contains("- Mode: agent",
                    "## Agent transcript", "the distribution is enabled");
        }
    }

    @Test
    void theSameMessageDeliveredFiveTimes_executesOnce() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcomes = bed.invoke(bed.handler(), "sns-execute-x5.json", alert, alert.planHash());

        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.get(0).path("outcome").asText()).isEqualTo("COMPLETED");
        for (int i = 1; i < 5; i++) {
            assertThat(outcomes.get(i).path("outcome").asText()).isEqualTo("NOT_CLAIMED");
        }
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).hasSize(1);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().audit())
                .filteredOn(e -> e.action() == AuditAction.EXECUTION_STARTED).hasSize(1);
    }

    @Test
    void fiveConcurrentDeliveries_executeOnce() throws Exception {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        ExecutionHandler handler = bed.handler();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<JsonNode>> runs = new java.util.ArrayList<>();

        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(5)) {
            for (int i = 0; i < 5; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return bed.execute(handler, alert);
                }));
            }
            go.countDown();
        }

        List<String> outcomes = new java.util.ArrayList<>();
        for (var run : runs) {
            outcomes.add(run.get().path("outcome").asText());
        }
        assertThat(outcomes).containsOnlyOnce("COMPLETED").filteredOn(o -> o.equals("NOT_CLAIMED")).hasSize(4);
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).hasSize(1);
    }

    @Test
    void theHourlyLimit_defersTheNextExecution_backToApproved() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, ExecutionTestBed.ETAG);
        ExecutionHandler handler = bed.handler(Map.of("MAX_EXECUTIONS_PER_HOUR", "1"), Clock.systemUTC());
        Alert first = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        Alert second = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.execute(handler, first);
        bed.site.switchUp(false);

        JsonNode outcome = bed.execute(handler, second);

        assertThat(outcome.path("outcome").asText()).isEqualTo("DEFERRED");
        assertThat(outcome.path("reason").asText()).contains("1 executions already ran in the hour");
        assertThat(bed.alerts.find(second.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        assertThat(deferredItem(second)).isNotNull();
    }

    @Test
    void aResourceLockedByAnotherExecution_defersThisOne() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        dynalite.client().putItem(b -> b.tableName(bed.control).item(Map.of(
                ControlTable.PK, AttributeValue.fromS("lock#cloudfront:" + AwsStandIn.DISTRIBUTION),
                "owner", AttributeValue.fromS("01JOTHEREXECUTION000000000"),
                "expires_at", AttributeValue.fromN(String.valueOf(Instant.now().plusSeconds(600).getEpochSecond())))));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("DEFERRED");
        assertThat(outcome.path("reason").asText()).isEqualTo("cloudfront:" + AwsStandIn.DISTRIBUTION
                + " is locked by the execution of alert 01JOTHEREXECUTION000000000");
        assertThat(bed.aws.writes()).isEmpty();
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
    }

    @Test
    void aClosedWindow_schedulesTheExecutionForItsOpening_andTheScheduledRunExecutesIt() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        DayOfWeek day = tomorrow.getDayOfWeek();
        Map<String, String> env = Map.of("EXECUTION_WINDOWS", "medium=" + day.name().substring(0, 3) + " 00:00-23:59",
                "APPROVAL_WINDOW", "PT48H");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode deferred = bed.execute(bed.handler(env, Clock.systemUTC()), alert);

        Instant opening = tomorrow.atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(deferred.path("outcome").asText()).isEqualTo("DEFERRED");
        assertThat(deferred.path("at").asText()).isEqualTo(opening.toString());
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        assertThat(bed.aws.writes()).isEmpty();
        assertThat(bed.invoke(bed.handler(env, Clock.systemUTC()), "scheduled-event.json", null, null)).isEmpty();

        Clock afterOpening = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), opening.plusSeconds(60)));
        JsonNode ran = bed.invoke(bed.handler(env, afterOpening), "scheduled-event.json", null, null);

        assertThat(ran).singleElement().satisfies(o -> assertThat(o.path("outcome").asText()).isEqualTo("COMPLETED"));
        assertThat(deferredItem(alert)).isNull();
    }

    @Test
    void anApprovalOlderThanItsWindow_isNotExecuted_andExpires() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofHours(25));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("EXPIRED");
        assertThat(outcome.path("detail").asText()).contains("approvals run within 24 h");
        assertThat(bed.aws.writes()).isEmpty();
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString()).contains("Expired"));
    }

    @Test
    void aTargetHealthyAgain_isResolvedAsRecovered_withoutChangingAnything() {
        bed.site.switchUp(true);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("RESOLVED");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().resolution()).isEqualTo(Resolution.RECOVERED);
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aMessageWithAnotherPlanHash_isRefused_andNothingRuns() {
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.invoke(bed.handler(), "sns-execute.json", alert, "0".repeat(64)).get(0);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("is not the approved plan's " + alert.planHash());
        assertThat(bed.aws.writes()).isEmpty();
    }

    private Map<String, AttributeValue> deferredItem(Alert alert) {
        var item = dynalite.client().getItem(b -> b.tableName(bed.control).consistentRead(true)
                .key(Map.of(ControlTable.PK, AttributeValue.fromS("deferred#" + alert.alertId()))));
        return item.hasItem() ? item.item() : null;
    }
}
