package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.ExecutionStatus;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactKind;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.CallRecord;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.execution.action.StepFailedException;
import dev.cloudops.execution.precheck.ExecutionLimits;
import dev.cloudops.execution.precheck.ExecutionWindows;
import dev.cloudops.execution.precheck.Preflight;
import dev.cloudops.execution.precheck.ResourceLocks;
import dev.cloudops.execution.schedule.DeferredExecutions;
import dev.cloudops.execution.verify.TargetProbe;
import dev.cloudops.execution.verify.Verifier;
import dev.cloudops.notify.Notification;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.testing.RecordingMetrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.invocation.Invocation;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;

/**
 * What an execution does when Route 53 rejects a change in the middle of the plan (or is too slow to confirm it,
 * or the invocation runs out of time): every change made before is undone, in reverse order, with nothing else
 * changed, and the alert, its log and the notification say so. The plan: S1 creates a record, S2 enables a
 * distribution, S3 creates a second record, S4 a third. The step executors are Mockito mocks because their
 * failure is the subject: the Route 53 one fails S3 the way {@code Route53Executor} does when Route 53 refuses a
 * batch, and what each executor was asked to change is read back from the mocks. Everything else is the production
 * executor and plan runner over stubs (stores, locks, probe, preflight) that accept what they are given. The same
 * refusals against a Route 53 and CloudFront stand-in are {@code PlanExecutorIT}'s.
 */
@ExtendWith(MockitoExtension.class)
class PlanExecutorRollbackTest {

    private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    private static final String REFUSAL = "Route 53 refused the change: InvalidChangeBatch: [Tried to create resource "
            + "record set [name='www.shop.example.com.', type='A'] but it already exists]";

    private final PlanStep s1 = record("S1", "shop.example.com");
    private final PlanStep s2 = new PlanStep("S2", new Action.SetEnabled(DISTRIBUTION, true),
            Precondition.of("E2", Map.of("enabled", "false")), new Inverse.Undo(new Action.SetEnabled(DISTRIBUTION,
                    false)), Risk.MEDIUM, new Permission("cloudfront:UpdateDistribution",
                    "arn:aws:cloudfront::123456789012:distribution/" + DISTRIBUTION));
    private final PlanStep s3 = record("S3", "www.shop.example.com");
    private final PlanStep s4 = record("S4", "static.shop.example.com");
    private final Plan plan = new Plan("Recreate the records and enable the distribution.", List.of(s1, s2, s3, s4));

    @Mock
    private StepExecutor route53;
    @Mock
    private StepExecutor cloudFront;
    @Mock
    private AlertRepository alerts;
    @Mock
    private ArtifactStore artifacts;
    @Mock
    private Preflight preflight;
    @Mock
    private ExecutionLimits limits;
    @Mock
    private ResourceLocks locks;
    @Mock
    private DeferredExecutions deferred;
    @Mock
    private TargetProbe probe;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<Notification> told = new ArrayList<>();
    private final AtomicReference<Duration> remaining = new AtomicReference<>(Duration.ofMinutes(10));
    private Runnable whileS2Runs = () -> { };
    private Alert approved;

    @BeforeEach
    void anApprovedPlan_aFailingSite_andExecutorsThatAcceptS1AndS2() {
        approved = approved(plan);
        when(alerts.find(approved.alertId())).thenReturn(Optional.of(approved));
        when(alerts.apply(any())).thenAnswer(call -> new TransitionResult.Applied(call.<Transition>getArgument(0)
                .after()));
        when(alerts.appendEvent(eq(approved.alertId()), any())).thenReturn(true);
        when(artifacts.put(any())).thenAnswer(call -> call.<Artifact>getArgument(0).key());
        when(artifacts.location(anyString())).thenAnswer(call -> URI.create("s3://artifacts/" + call.getArgument(0)));
        when(probe.probe(any())).thenReturn(new ProbeResult(URI.create(approved.targetUrl()), Classification.HTTP_ERROR,
                Layer.HTTP, "HTTP: answered 403", NOW, Duration.ofMillis(80), List.of(), null, null));
        Map<String, Observation> observed = new HashMap<>();
        plan.steps().forEach(s -> observed.put(s.id(), new Observation(Map.of("state", "as analysed"), s.id())));
        when(preflight.run(eq(plan), any(), isNull(), any())).thenReturn(new Preflight.Result(observed, Optional.empty()));

        when(route53.handles(any())).thenAnswer(call -> call.getArgument(0) instanceof Action.UpsertRecord
                || call.getArgument(0) instanceof Action.DeleteRecord);
        when(cloudFront.handles(any())).thenAnswer(call -> call.getArgument(0) instanceof Action.SetEnabled);
        when(route53.resources(any())).thenAnswer(call -> List.of("route53:" + ZONE + "/"
                + ((Action.UpsertRecord) call.getArgument(0)).record().name() + "/A"));
        when(cloudFront.resources(any())).thenReturn(List.of("cloudfront:" + DISTRIBUTION));
        when(route53.apply(eq(approved.alertId()), step("S1"), any()))
                .thenAnswer(call -> applied(s1, call.getArgument(2), null));
        when(cloudFront.apply(eq(approved.alertId()), step("S2"), any())).thenAnswer(call -> {
            whileS2Runs.run();
            return applied(s2, call.getArgument(2), "E2ETAGAFTERS2");
        });
    }

    @Test
    void aChangeRoute53RejectsMidPlan_undoesTheEarlierStepsInReverseOrder_andNothingElse() {
        when(route53.apply(eq(approved.alertId()), step("S3"), any())).thenThrow(new StepFailedException(REFUSAL,
                List.of(call("refused: InvalidChangeBatch")), InvalidChangeBatchException.builder()
                        .message("Tried to create resource record set but it already exists").statusCode(400).build()));
        when(cloudFront.undo(undoOf("S2"), eq("E2ETAGAFTERS2")))
                .thenReturn(new StepExecutor.Undone(List.of(call("Deployed")), "E3ETAGAFTERUNDO"));
        when(route53.undo(undoOf("S1"), isNull()))
                .thenReturn(new StepExecutor.Undone(List.of(call("PENDING")), null));

        ExecutionOutcome outcome = executor().execute(new ExecutionRequest(approved.alertId(), approved.planHash()),
                remaining::get);

        String why = "step S3 (route53.upsert_record) failed: " + REFUSAL;
        assertThat(outcome).isEqualTo(new ExecutionOutcome.Finished(approved.alertId(), AlertState.ROLLED_BACK,
                why + "; the changes were rolled back; undone: S2, S1"));
        InOrder rollback = inOrder(cloudFront, route53);
        rollback.verify(cloudFront).undo(undoOf("S2"), eq("E2ETAGAFTERS2"));
        rollback.verify(route53).undo(undoOf("S1"), isNull());
        assertThat(changesAsked()).containsExactly("apply S1", "apply S2", "apply S3", "undo S2", "undo S1");
        assertThat(journaled()).as("only what AWS accepted is journaled").containsExactly("S1", "S2");
        assertThat(finalState()).isEqualTo(AlertState.ROLLED_BACK);
        assertThat(log()).containsSubsequence("### S1 route53.upsert_record — done",
                "### S2 cloudfront.set_enabled — done", "### S3 route53.upsert_record — FAILED: " + REFUSAL,
                "## Rollback", "### undo S2 cloudfront.set_enabled — undone",
                "### undo S1 route53.upsert_record — undone", "## Outcome", "ROLLED_BACK");
        assertThat(log()).doesNotContain("### S4", "undo S3");
        assertThat(told).singleElement().isInstanceOfSatisfying(Notification.ExecutionFinished.class, n -> {
            assertThat(n.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(n.rolledBack()).isTrue();
            assertThat(n.stepsDone()).isEqualTo(2);
            assertThat(n.stepsTotal()).isEqualTo(4);
        });
        verify(locks).releaseAll(List.of("route53:" + ZONE + "/shop.example.com/A", "cloudfront:" + DISTRIBUTION,
                "route53:" + ZONE + "/www.shop.example.com/A", "route53:" + ZONE + "/static.shop.example.com/A"),
                approved.alertId());
        verify(limits).release(approved.alertId());
    }

    @Test
    void anUndoThatFailsToo_leavesItsStepRecordedAsStillChanged_andTheRestIsStillUndone() {
        when(route53.apply(eq(approved.alertId()), step("S3"), any())).thenThrow(new StepFailedException(REFUSAL,
                List.of(call("refused: InvalidChangeBatch")), null));
        String etagMoved = "CloudFront refused the change: PreconditionFailed: the distribution changed since S2";
        when(cloudFront.undo(undoOf("S2"), eq("E2ETAGAFTERS2")))
                .thenThrow(new StepFailedException(etagMoved, List.of(call("refused: PreconditionFailed")), null));
        when(route53.undo(undoOf("S1"), isNull()))
                .thenReturn(new StepExecutor.Undone(List.of(call("PENDING")), null));

        ExecutionOutcome outcome = executor().execute(new ExecutionRequest(approved.alertId(), approved.planHash()),
                remaining::get);

        assertThat(outcome).isEqualTo(new ExecutionOutcome.Finished(approved.alertId(), AlertState.FAILED,
                "step S3 (route53.upsert_record) failed: " + REFUSAL + "; rollback failed, still changed: S2 "
                        + "(cloudfront.set_enabled: " + etagMoved + "); undone: S1"));
        assertThat(changesAsked()).containsExactly("apply S1", "apply S2", "apply S3", "undo S2", "undo S1");
        assertThat(finalState()).isEqualTo(AlertState.FAILED);
        assertThat(log()).containsSubsequence("### undo S2 cloudfront.set_enabled — FAILED: " + etagMoved,
                "### undo S1 route53.upsert_record — undone");
    }

    @Test
    void aChangeRoute53AcceptedButDidNotConfirmInTime_countsAsApplied_andIsUndoneFirst() {
        AppliedStep acceptedS3 = new AppliedStep(s3, new Observation(Map.of("state", "as analysed"), "S3"),
                List.of(call("PENDING")), true, null);
        String late = "the change /change/C3 was not INSYNC within 60 s; Route 53 accepted it, so it counts as applied";
        when(route53.apply(eq(approved.alertId()), step("S3"), any())).thenThrow(new StepFailedException(late,
                List.of(call("PENDING")), null, acceptedS3));
        when(route53.undo(undoOf("S3"), isNull()))
                .thenReturn(new StepExecutor.Undone(List.of(call("PENDING")), null));
        when(cloudFront.undo(undoOf("S2"), eq("E2ETAGAFTERS2")))
                .thenReturn(new StepExecutor.Undone(List.of(call("Deployed")), "E3ETAGAFTERUNDO"));
        when(route53.undo(undoOf("S1"), isNull()))
                .thenReturn(new StepExecutor.Undone(List.of(call("PENDING")), null));

        ExecutionOutcome outcome = executor().execute(new ExecutionRequest(approved.alertId(), approved.planHash()),
                remaining::get);

        assertThat(outcome).isEqualTo(new ExecutionOutcome.Finished(approved.alertId(), AlertState.ROLLED_BACK,
                "step S3 (route53.upsert_record) failed: " + late
                        + "; the changes were rolled back; undone: S3, S2, S1"));
        assertThat(changesAsked()).containsExactly("apply S1", "apply S2", "apply S3", "undo S3", "undo S2", "undo S1");
        assertThat(journaled()).containsExactly("S1", "S2", "S3");
    }

    @Test
    void stepsThatTakeTheInvocationsTime_stopThePlan_beforeTheNextStep_andAreUndone() {
        // S2 takes so long that less than the reserve (30 s) is left: S3 must not start.
        whileS2Runs = () -> remaining.set(Duration.ofSeconds(20));
        when(cloudFront.undo(undoOf("S2"), eq("E2ETAGAFTERS2")))
                .thenReturn(new StepExecutor.Undone(List.of(call("Deployed")), "E3ETAGAFTERUNDO"));
        when(route53.undo(undoOf("S1"), isNull()))
                .thenReturn(new StepExecutor.Undone(List.of(call("PENDING")), null));

        ExecutionOutcome outcome = executor().execute(new ExecutionRequest(approved.alertId(), approved.planHash()),
                remaining::get);

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.Finished.class, f -> {
            assertThat(f.state()).isEqualTo(AlertState.ROLLED_BACK);
            assertThat(f.detail()).startsWith("step S3 (route53.upsert_record) was not started: only 20 s of the "
                    + "invocation's time were left, and 30 s are kept to roll back and record the outcome")
                    .endsWith("; the changes were rolled back; undone: S2, S1");
        });
        assertThat(changesAsked()).containsExactly("apply S1", "apply S2", "undo S2", "undo S1");
    }

    private PlanExecutor executor() {
        StepExecutors executors = new StepExecutors(List.of(route53, cloudFront));
        return new PlanExecutor(new PlanExecutor.Records(alerts, artifacts, deferred),
                new PlanExecutor.Safety(ApprovalRules.defaults(), preflight, ExecutionWindows.always(), limits, locks),
                new PlanExecutor.Steps(executors, new PlanModeRunner(executors, CLOCK), probe,
                        new Verifier(probe, CLOCK, Duration.ofSeconds(2), Duration.ofMillis(200))),
                new PlanExecutor.Reporting(told::add,
                        (alertId, key) -> URI.create("https://review.example.com/alerts/" + alertId + "/log"), metrics),
                new PlanExecutor.Timing(Duration.ofHours(24), Duration.ofMinutes(5), false, Duration.ofSeconds(30),
                        Duration.ofMinutes(20)), CLOCK);
    }

    /** What the executors were asked to change ("apply S1", "undo S1"), in the order asked, across both. */
    private List<String> changesAsked() {
        return Stream.of(route53, cloudFront).flatMap(m -> mockingDetails(m).getInvocations().stream())
                .filter(i -> i.getMethod().getName().equals("apply") || i.getMethod().getName().equals("undo"))
                .sorted(Comparator.comparingInt(Invocation::getSequenceNumber))
                .map(i -> i.getMethod().getName() + " " + (i.getMethod().getName().equals("apply")
                        ? i.<PlanStep>getArgument(1).id() : i.<AppliedStep>getArgument(0).step().id()))
                .toList();
    }

    /** The steps journaled on the alert as accepted by AWS, in order. */
    private List<String> journaled() {
        ArgumentCaptor<AuditEvent> events = ArgumentCaptor.forClass(AuditEvent.class);
        verify(alerts, atLeastOnce()).appendEvent(eq(approved.alertId()), events.capture());
        return events.getAllValues().stream().filter(e -> e.action() == AuditAction.STEP_APPLIED)
                .map(AuditEvent::result).toList();
    }

    /** The state of the last transition stored. */
    private AlertState finalState() {
        ArgumentCaptor<Transition> stored = ArgumentCaptor.forClass(Transition.class);
        verify(alerts, atLeastOnce()).apply(stored.capture());
        return stored.getValue().after().state();
    }

    /** The execution log as stored. */
    private String log() {
        ArgumentCaptor<Artifact> put = ArgumentCaptor.forClass(Artifact.class);
        verify(artifacts, atLeastOnce()).put(put.capture());
        return put.getAllValues().stream().filter(a -> a.kind() == ArtifactKind.EXECUTION_LOG)
                .map(a -> new String(a.content(), StandardCharsets.UTF_8)).reduce((a, b) -> b).orElseThrow();
    }

    private static PlanStep step(String id) {
        return argThat(step -> step != null && step.id().equals(id));
    }

    private static AppliedStep undoOf(String id) {
        return argThat(applied -> applied != null && applied.step().id().equals(id));
    }

    private static AppliedStep applied(PlanStep step, Observation before, String version) {
        return new AppliedStep(step, before, List.of(call("accepted")), true, version);
    }

    private static CallRecord call(String result) {
        return new CallRecord("aws:Call", "-", "req-1", result, Duration.ofMillis(40));
    }

    private static PlanStep record(String id, String name) {
        Action.RecordSet alias = new Action.RecordSet(ZONE, name, "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
        return new PlanStep(id, new Action.UpsertRecord(alias), Precondition.of("E1", Map.of("record", "absent")),
                new Inverse.Undo(new Action.DeleteRecord(alias)), Risk.MEDIUM, new Permission(
                        "route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + ZONE));
    }

    /** An alert approved a minute ago for this plan, as the lifecycle methods build it. */
    private static Alert approved(Plan plan) {
        Instant detected = NOW.minusSeconds(300);
        Alert alert = Alert.detect("01JROUTE53REJECTS000000001", detected, URI.create("https://shop.example.com/"),
                IssueType.HTTP_ERROR, Severity.MEDIUM, "HTTP 403", Actor.system("monitor"));
        Analysis analysis = new Analysis(Analyzer.RULES, null, "The record and the distribution are gone.", null, null,
                null, PlanJson.canonical(plan), PlanJson.hash(plan), 1, List.of("Route 53", "CloudFront"),
                "Down for everyone", null);
        Alert pending = alert.analyze(analysis, Actor.system("rules"), detected.plusSeconds(5)).after();
        return pending.approve(new Actor("erin@example.com", true, "203.0.113.7", "Mozilla/5.0"), "sub-erin",
                "engineer", "go", pending.planHash(), NOW.minusSeconds(60)).after();
    }
}
