package dev.cloudops.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.LambdaContext;
import dev.cloudops.testing.S3Emulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What must hold whatever goes wrong: an altered plan or approval never runs, every change AWS accepted is
 * undone on any failure (and only while it is still as this execution left it), a step whose approved
 * inverse is irreversible is never undone, and the invocation's time is respected, with a run cut short
 * rolled back by the next scheduled run. Through the handler, against the emulators and the AWS stand-in.
 */
@ExtendWith(Emulators.class)
class ExecutionSafetyIT {

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private ExecutionTestBed bed;

    ExecutionSafetyIT(Dynalite dynalite, S3Emulator s3) {
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
    void aPlanReplacedInTheTableAfterApproval_isRefused_andNothingRuns() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        bed.aws.acceptChanges();
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        tamper(alert, "plan", AttributeValue.fromS(PlanJson.canonical(ExecutionTestBed.recordThenEnable())));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("the stored plan hashes to "
                + PlanJson.hash(ExecutionTestBed.recordThenEnable()), "not to the approved " + alert.planHash(),
                "nothing was run");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aPlanReplacedWithItsHash_isRefused_byTheHashTheApproverSaw() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.acceptChanges();
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        Plan other = ExecutionTestBed.recordThenEnable();
        tamper(alert, "plan", AttributeValue.fromS(PlanJson.canonical(other)));
        tamper(alert, "plan_hash", AttributeValue.fromS(PlanJson.hash(other)));

        JsonNode outcome = bed.invoke(bed.handler(), "sns-execute.json", alert, PlanJson.hash(other)).get(0);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("the approvals do not allow this plan to run",
                "erin@example.com approved plan " + alert.planHash() + ", not the plan " + PlanJson.hash(other));
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aCriticalAlertApprovedByOnePerson_isRefused_evenWhenItsRecordSaysOneSuffices() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        tamper(alert, "severity", AttributeValue.fromS("CRITICAL"));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("critical alerts need 2 approvals from distinct people; "
                + "0 valid", "erin@example.com approved as engineer, but critical alerts may be approved by admin, "
                + "ops-lead");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void onePersonApprovingTwiceUnderTwoNames_countsOnce() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        AttributeValue approval = approvals(alert).getFirst();
        Map<String, AttributeValue> again = new java.util.HashMap<>(approval.m());
        again.put("by", AttributeValue.fromS("erin"));
        tamper(alert, "approvals", AttributeValue.fromL(List.of(approval, AttributeValue.fromM(again))));
        tamper(alert, "required_approvals", AttributeValue.fromN("2"));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("medium alerts need 2 approvals from distinct people; "
                + "1 valid");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aRoute53ChangeNotInSyncByTheDeadline_countsAsApplied_andIsRolledBack() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.acceptChanges();
        bed.aws.changesStayPending();
        Alert alert = bed.approved(new Plan("Recreate the record.", List.of(upsertStep())), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(Map.of("ROUTE53_SYNC_DEADLINE", "PT1S"), Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(outcome.path("detail").asText()).contains("was not INSYNC within 1 s",
                "it counts as applied", "undone: S1").doesNotContain("nothing had been changed");
        List<LoggedRequest> changes = bed.aws.requests(RequestMethod.POST, "/rrset/");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).getBodyAsString()).contains("<Action>DELETE</Action>", "<Name>shop.example.com</Name>",
                "<DNSName>d111111abcdef8.cloudfront.net</DNSName>", "<HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId>")
                .doesNotContain("<Action>CREATE</Action>");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().audit())
                .filteredOn(e -> e.action() == AuditAction.STEP_APPLIED).extracting(AuditEvent::result)
                .containsExactly("S1");
    }

    @Test
    void aStoreErrorWhileJournalingAnAppliedStep_rollsItBack_andSaysWhatWasUndone() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2OURS");
        bed.aws.updatesMatching("E2OURS", "E3RESTORED");
        WireMockServer store = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        store.start();
        try {
            // DynamoDB as it is, except that it fails (as a throttled or broken table would) to journal a step.
            store.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse()
                    .proxiedFrom(dynalite.endpoint().toString())));
            store.stubFor(post(urlEqualTo("/")).atPriority(1).withRequestBody(containing("STEP_APPLIED"))
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                            .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\","
                                    + "\"message\":\"Item size has exceeded the maximum allowed size\"}")));
            Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
            ExecutionHandler handler = bed.handler(Map.of("AWS_ENDPOINT_URL_DYNAMODB", store.baseUrl()),
                    Clock.systemUTC());

            assertThatThrownBy(() -> bed.execute(handler, alert)).hasMessageContaining("Item size has exceeded");

            List<LoggedRequest> updates = bed.aws.requests(RequestMethod.PUT, "/config");
            assertThat(updates).hasSize(2);
            assertThat(updates.get(1).getHeader("If-Match")).isEqualTo("E2OURS");
            assertThat(updates.get(1).getBodyAsString()).contains("<Enabled>false</Enabled>");
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.ROLLED_BACK);
            assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.EXECUTION_FINISHED).singleElement()
                    .satisfies(e -> assertThat(e.detail()).contains("stopped by an unexpected error",
                    "Item size has exceeded", "the changes were rolled back; undone: S1"));
        } finally {
            store.stop();
        }
    }

    @Test
    void aResourceChangedSinceAnalysis_isRefused_thoughThePreconditionDoesNotNameIt() {
        bed.aws.distribution("E9SOMEONEELSE", false);
        bed.aws.updatesMatching("E9SOMEONEELSE", "E10");
        PlanStep onlyEnabled = new PlanStep("S1", new Action.SetEnabled(AwsStandIn.DISTRIBUTION, true),
                Precondition.of("E2", Map.of("enabled", "false")),
                new Inverse.Undo(new Action.SetEnabled(AwsStandIn.DISTRIBUTION, false)), Risk.MEDIUM,
                new Permission("cloudfront:UpdateDistribution", "arn:aws:cloudfront::123456789012:distribution/"
                        + AwsStandIn.DISTRIBUTION));
        Alert alert = bed.approved(new Plan("Re-enable it.", List.of(onlyEnabled)), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("S1: etag was '" + ExecutionTestBed.ETAG
                + "' at analysis, is 'E9SOMEONEELSE' now", "nothing was changed");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aRecordCreatedSinceAnalysis_orOneTheAnalysisNeverRead_isRefused() {
        bed.aws.records(AwsStandIn.aliasRecord("shop.example.com", "d999.cloudfront.net"));
        PlanStep upsert = upsertStep();
        PlanStep unread = new PlanStep("S2", new Action.UpsertRecord(new Action.RecordSet(AwsStandIn.ZONE,
                "api.example.com", "A", 60L, List.of("192.0.2.10"), null)),
                Precondition.of("E2", Map.of("enabled", "false")), new Inverse.Irreversible("test"), Risk.LOW,
                new Permission("route53:ChangeResourceRecordSets", "*"));
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert alert = bed.approved(new Plan("Two records.", List.of(
                new PlanStep("S1", upsert.action(), Precondition.of("E2", Map.of("enabled", "false")),
                        upsert.inverse(), upsert.risk(), upsert.permission()), unread)), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("detail").asText()).contains("S1: record was 'absent' at analysis, is 'present' now",
                "S2: the analysis captured no state of route53:" + AwsStandIn.ZONE + "/api.example.com/A");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aCloudFrontUndo_matchesTheEtagOfItsOwnUpdate_andLeavesSomeoneElsesChangeAlone() {
        bed.fixWorks = false;
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2OURS"); // anything else: PreconditionFailed
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        List<LoggedRequest> updates = bed.aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates).extracting(r -> r.getHeader("If-Match")).containsExactly(ExecutionTestBed.ETAG, "E2OURS");
        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("rollback failed, still changed: S1",
                "was changed by someone else after this execution's update (ETag E2OURS is no longer current)");
    }

    @Test
    void aCloudFrontUndo_restoresTheCapturedConfiguration_withItsOwnEtag() {
        bed.fixWorks = false;
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2OURS");
        bed.aws.updatesMatching("E2OURS", "E3RESTORED");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        List<LoggedRequest> updates = bed.aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates).extracting(r -> r.getHeader("If-Match")).containsExactly(ExecutionTestBed.ETAG, "E2OURS");
        assertThat(updates.get(1).getBodyAsString()).contains("<Enabled>false</Enabled>");
        assertThat(bed.aws.requests(RequestMethod.GET, "/" + AwsStandIn.DISTRIBUTION)).hasSize(1); // preflight only
    }

    @Test
    void aStepWhoseApprovedInverseIsIrreversible_isNeverUndone() {
        bed.fixWorks = false;
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2OURS");
        bed.aws.updatesMatching("E2OURS", "E3");
        PlanStep keep = new PlanStep("S1", new Action.SetEnabled(AwsStandIn.DISTRIBUTION, true),
                Precondition.of("E2", Map.of("enabled", "false")), new Inverse.Irreversible("keep it serving"),
                Risk.MEDIUM, new Permission("cloudfront:UpdateDistribution", "*"));
        Alert alert = bed.approved(new Plan("Enable, for good.", List.of(keep)), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).hasSize(1);
        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("nothing could be rolled back",
                "irreversible step S1 stays as done");
    }

    @Test
    void thePreflightSimulation_carriesTheRecordNameAndType_theRolesConditionsAreWrittenOn() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.acceptChanges();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        bed.aws.simulation("allowed");
        Alert alert = bed.approved(ExecutionTestBed.recordThenEnable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(Map.of("EXECUTOR_ROLE_ARN",
                ExecutionTestBed.EXECUTOR), Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        List<String> simulations = bed.aws.server.findAll(postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(containing("Action=SimulatePrincipalPolicy"))).stream()
                .map(r -> java.net.URLDecoder.decode(r.getBodyAsString(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
        assertThat(simulations).hasSize(2);
        assertThat(simulations).filteredOn(b -> b.contains("ActionNames.member.1=route53:ChangeResourceRecordSets"))
                .singleElement().satisfies(b -> assertThat(b).contains(
                        "ContextKeyName=route53:ChangeResourceRecordSetsNormalizedRecordNames",
                        "ContextKeyValues.member.1=shop.example.com",
                        "ContextKeyName=route53:ChangeResourceRecordSetsRecordTypes", "ContextKeyValues.member.1=A",
                        "ContextKeyType=stringList"));
        assertThat(simulations).filteredOn(b -> b.contains("cloudfront:UpdateDistribution")).singleElement()
                .satisfies(b -> assertThat(b).doesNotContain("ContextEntries"));
    }

    @Test
    void noStepStarts_withoutTheTimeToRollItBack() {
        bed.aws.records(AwsStandIn.aliasRecord("other.example.com", "d222.cloudfront.net"));
        bed.aws.acceptChanges();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        Alert alert = bed.approved(ExecutionTestBed.recordThenEnable(), Duration.ofMinutes(2));
        AtomicInteger asked = new AtomicInteger();
        // Enough time for the first step; from the second question on, only 20 s of the 60 s kept.
        LambdaContext context = new LambdaContext("cloudops-execution",
                () -> asked.incrementAndGet() <= 1 ? 300_000 : 20_000);

        JsonNode outcome = bed.invoke(bed.handler(Map.of("EXECUTION_TIME_RESERVE", "PT60S"), Clock.systemUTC()),
                "sns-execute.json", alert, alert.planHash(), context).get(0);

        assertThat(outcome.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(outcome.path("detail").asText()).contains("step S2 (cloudfront.set_enabled) was not started: only 20 s",
                "60 s are kept to roll back", "undone: S1");
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).isEmpty();
        assertThat(bed.aws.requests(RequestMethod.POST, "/rrset/")).hasSize(2);
    }

    @Test
    void anExecutionCutShort_isRolledBackByTheNextScheduledRun_andARunningOneIsLeftAlone() {
        bed.aws.distribution("E2OURS", true);
        bed.aws.updatesMatching("E2OURS", "E3RESTORED");
        for (int i = 0; i < 30; i++) { // older approved alerts waiting for a person: the search must see past them
            bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(60));
        }
        Alert stuck = cutShortAfterEnabling();
        Alert busy = running(bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(40)),
                Instant.now().minus(Duration.ofMinutes(2)));

        JsonNode outcomes = bed.invoke(bed.handler(), "scheduled-event.json", null, null);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.path("alert_id").asText()).isEqualTo(stuck.alertId());
            assertThat(o.path("outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(o.path("detail").asText()).contains("stopped before it finished", "undone: S1");
        });
        List<LoggedRequest> updates = bed.aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates).singleElement().satisfies(u -> {
            assertThat(u.getHeader("If-Match")).isEqualTo("E2OURS");
            assertThat(u.getBodyAsString()).contains("<Enabled>false</Enabled>");
        });
        assertThat(bed.alerts.find(stuck.alertId()).orElseThrow().audit()).extracting(AuditEvent::action)
                .contains(AuditAction.EXECUTION_TAKEN_OVER, AuditAction.EXECUTION_FINISHED);
        assertThat(bed.alerts.find(busy.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXECUTING);
    }

    @Test
    void aCutShortRun_whoseResourceChangedSince_isNotUndoneOverThatChange() {
        bed.aws.distribution("E7SOMEONEELSE", true);
        bed.aws.updatesMatching("E7SOMEONEELSE", "E8");
        Alert stuck = cutShortAfterEnabling();

        JsonNode outcomes = bed.invoke(bed.handler(), "scheduled-event.json", null, null);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(o.path("detail").asText()).contains("rollback failed, still changed: S1",
                    "has ETag E7SOMEONEELSE now, not E2OURS as the step left it");
        });
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).isEmpty();
    }

    @Test
    void aPlanForAPersonOnly_isHandedOver_andTheAlertStaysOpen_notCompleted() {
        Alert alert = bed.approved(new Plan("Renew the certificate by hand.", List.of(new PlanStep("S1",
                new Action.ManualStep("Renew the certificate in ACM and attach it to the distribution."), null,
                new Inverse.Irreversible("for a person"), Risk.LOW, null))), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("APPROVED");
        assertThat(outcome.path("detail").asText()).contains("the plan's step is for a person: nothing was run, and "
                + "the target is still failing", "the alert stays open until it is healthy again");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(stored.audit()).extracting(AuditEvent::action).contains(AuditAction.HANDED_OVER)
                .doesNotContain(AuditAction.EXECUTION_FINISHED);
        assertThat(bed.object(ExecutionTestBed.key(stored.executionLogUrl()))).contains("not executed: for a person",
                "WAITING FOR A PERSON");
        assertThat(bed.aws.teams()).singleElement().satisfies(t -> assertThat(t.getBodyAsString())
                .contains("Action needed", "Renew the certificate in ACM and attach it to the distribution.")
                .doesNotContain("COMPLETED"));
        assertThat(bed.aws.writes()).isEmpty();
    }

    private static PlanStep upsertStep() {
        return ExecutionTestBed.recordThenEnable().steps().getFirst();
    }

    /**
     * An alert whose execution started 30 minutes ago, journaled the re-enabling of the distribution (which
     * left ETag E2OURS) and then ended without a word, as a Lambda invocation past its timeout does.
     */
    private Alert cutShortAfterEnabling() {
        Alert stuck = running(bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(40)),
                Instant.now().minus(Duration.ofMinutes(30)));
        bed.alerts.appendEvent(stuck.alertId(), AuditEvent.of(Instant.now().minus(Duration.ofMinutes(29)),
                AuditAction.STEP_APPLIED, Actor.system("execution"), "S1",
                "cloudfront.set_enabled accepted; version E2OURS"));
        return stuck;
    }

    /** The alert claimed by an execution that started at {@code at}. */
    private Alert running(Alert approved, Instant at) {
        return ((TransitionResult.Applied) bed.alerts.apply(approved.startExecution(Actor.system("execution"), at)))
                .alert();
    }

    /** Edits the stored alert behind the functions' back, as someone with write access to the table could. */
    private void tamper(Alert alert, String attribute, AttributeValue value) {
        dynalite.client().updateItem(b -> b.tableName(bed.table)
                .key(Map.of("alert_id", AttributeValue.fromS(alert.alertId())))
                .updateExpression("SET #a = :v").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", value)));
    }

    private List<AttributeValue> approvals(Alert alert) {
        return dynalite.client().getItem(b -> b.tableName(bed.table).consistentRead(true)
                .key(Map.of("alert_id", AttributeValue.fromS(alert.alertId())))).item().get("approvals").l();
    }
}
