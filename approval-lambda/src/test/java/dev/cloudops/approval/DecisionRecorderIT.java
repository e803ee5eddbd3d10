package dev.cloudops.approval;

import static dev.cloudops.approval.DecisionRecorder.Verdict.APPROVE;
import static dev.cloudops.approval.DecisionRecorder.Verdict.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.audit.AuditingAlertRepository;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.RecordingAuditTrail;
import dev.cloudops.testing.RecordingMetrics;
import dev.cloudops.metrics.MetricName;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Decisions against the DynamoDB emulator: policy, the two-person rule, expiry and races. */
@ExtendWith(Emulators.class)
class DecisionRecorderIT {

    private final Dynalite dynalite;
    private final List<String> triggered = new CopyOnWriteArrayList<>();
    private final List<Decision> recorded = new CopyOnWriteArrayList<>();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private DynamoDbAlertRepository alerts;
    private DecisionRecorder recorder;

    DecisionRecorderIT(Dynalite dynalite) {
        this.dynalite = dynalite;
    }

    @BeforeEach
    void table() {
        String table = "alerts-" + UUID.randomUUID();
        dynalite.createTable(AlertsTable.createRequest(table));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
        recorder = new DecisionRecorder(new AuditingAlertRepository(alerts, audit), ApprovalPolicy.defaults(),
                (alertId, planHash) -> triggered.add(alertId + "@" + planHash), Clock.systemUTC(), Duration.ofHours(24),
                recorded::add, metrics, Optional.empty());
    }

    @Test
    void anEntitledApproval_approvesAndTriggersExecutionOnce() {
        Alert alert = pending(Severity.MEDIUM, 1);
        Instant before = Instant.now();

        Decision decision = recorder.decide(alert.alertId(), APPROVE, person("erin", "engineer"), "go",
                alert.planHash(), null);

        assertThat(decision).isInstanceOfSatisfying(Decision.Approved.class, a -> {
            assertThat(a.alert().state()).isEqualTo(AlertState.APPROVED);
            assertThat(a.alert().approvals()).singleElement().satisfies(ap -> {
                assertThat(ap.by()).isEqualTo("erin");
                assertThat(ap.role()).isEqualTo("engineer");
                assertThat(ap.verified()).isTrue();
            });
        });
        assertThat(triggered).containsExactly(alert.alertId() + "@" + alert.planHash());
        assertThat(metrics.values(MetricName.APPROVAL_RATE)).containsExactly(1.0);
        assertThat(metrics.values(MetricName.REJECTION_RATE)).containsExactly(0.0);
        assertThat(metrics.of(MetricName.APPROVAL_LATENCY)).singleElement().satisfies(m -> {
            assertThat(m.value()).isGreaterThanOrEqualTo(Duration.between(alert.timestamp(), before).toMillis());
            assertThat(m.dimensions()).containsEntry("Severity", "medium");
            assertThat(m.alertId()).isEqualTo(alert.alertId());
        });
        assertThat(metrics.of(MetricName.FALSE_POSITIVE_RATE)).isEmpty();
    }

    @Test
    void criticalAlerts_needTwoDistinctVerifiedPeople() {
        Alert alert = pending(Severity.CRITICAL, 2);

        Decision first = recorder.decide(alert.alertId(), APPROVE, person("alice", "admin"), "ok",
                alert.planHash(), null);
        Decision again = recorder.decide(alert.alertId(), APPROVE, person("alice", "admin"), "ok twice",
                alert.planHash(), null);
        Decision unverified = recorder.decide(alert.alertId(), APPROVE,
                Identity.named("mallory", "198.51.100.9", "curl"), null, alert.planHash(), null);
        Decision second = recorder.decide(alert.alertId(), APPROVE, person("bob", "ops-lead"), "agreed",
                alert.planHash(), null);

        assertThat(first).isInstanceOfSatisfying(Decision.PartiallyApproved.class, p -> assertThat(p.stillNeeded()).isOne());
        assertThat(again).isInstanceOfSatisfying(Decision.Forbidden.class,
                f -> assertThat(f.reason()).contains("already approved by alice"));
        assertThat(unverified).isInstanceOfSatisfying(Decision.Forbidden.class,
                f -> assertThat(f.reason()).isEqualTo("critical alerts need a signed-in, verified identity"));
        assertThat(second).isInstanceOf(Decision.Approved.class);
        assertThat(triggered).hasSize(1);
        Alert stored = alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.approvedBy()).isEqualTo("alice, bob");
        assertThat(audit.entries()).extracting(RecordingAuditTrail.Entry::event)
                .filteredOn(e -> e.action() == AuditAction.DECISION_REFUSED).hasSize(2)
                .anySatisfy(e -> assertThat(e.sourceIp()).isEqualTo("198.51.100.9"));
        assertThat(stored.audit()).noneMatch(e -> e.action() == AuditAction.DECISION_REFUSED);
        assertThat(stored.refusedAttempts()).isEqualTo(1);
        assertThat(recorded).extracting(d -> d.getClass().getSimpleName())
                .containsExactly("PartiallyApproved", "Approved");
        assertThat(metrics.values(MetricName.APPROVAL_RATE)).as("one final decision, not one per approver")
                .containsExactly(1.0);
    }

    @Test
    void theSameSubject_countsOnce_whateverNameItsTokenGives_andAnotherSubjectCounts() {
        Alert alert = pending(Severity.CRITICAL, 2);
        Identity fromIdToken = new Identity("alice@example.com", "sub:6f1c-alice", true, Set.of("admin"),
                "203.0.113.7", "Mozilla/5.0");
        Identity fromAccessToken = new Identity("alice", "sub:6f1c-alice", true, Set.of("admin"), "203.0.113.7",
                "Mozilla/5.0");
        Identity sameNameOtherSubject = new Identity("alice", "sub:9a2d-other", true, Set.of("ops-lead"),
                "203.0.113.8", "Mozilla/5.0");

        Decision first = recorder.decide(alert.alertId(), APPROVE, fromIdToken, null, alert.planHash(), null);
        Decision again = recorder.decide(alert.alertId(), APPROVE, fromAccessToken, null, alert.planHash(), null);
        Decision second = recorder.decide(alert.alertId(), APPROVE, sameNameOtherSubject, null, alert.planHash(), null);

        assertThat(first).isInstanceOf(Decision.PartiallyApproved.class);
        assertThat(again).isInstanceOf(Decision.Forbidden.class);
        assertThat(second).isInstanceOf(Decision.Approved.class);
        assertThat(alerts.find(alert.alertId()).orElseThrow().approvals()).extracting(a -> a.subject())
                .containsExactly("sub:6f1c-alice", "sub:9a2d-other");
    }

    @Test
    void aForbiddenRole_isRefusedAndAudited_andChangesNothing() {
        Alert alert = pending(Severity.HIGH, 1);

        Decision decision = recorder.decide(alert.alertId(), APPROVE, person("erin", "engineer"), null,
                alert.planHash(), null);

        assertThat(decision).isInstanceOfSatisfying(Decision.Forbidden.class, f -> assertThat(f.reason())
                .isEqualTo("high alerts may be decided by admin, ops-lead, senior-engineer; erin is in engineer"));
        Alert stored = alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(triggered).isEmpty();
        assertThat(recorded).isEmpty();
    }

    @Test
    void withAnExecutorRole_aPlanNoSessionPolicyCanBeMadeFor_cannotBeApproved_butCanBeRejected() {
        DecisionRecorder scoped = new DecisionRecorder(new AuditingAlertRepository(alerts, audit),
                ApprovalPolicy.defaults(), (alertId, planHash) -> triggered.add(alertId), Clock.systemUTC(),
                Duration.ofHours(24), recorded::add, metrics,
                Optional.of(SessionScope.of(PortalTestBed.EXECUTOR_ROLE)));
        Alert alert = pending(Severity.MEDIUM, 1); // its stored plan, {"steps":[]}, is not a plan the schema admits

        Decision approval = scoped.decide(alert.alertId(), APPROVE, person("erin", "engineer"), null,
                alert.planHash(), "0".repeat(64));

        String reason = "the stored plan cannot be read, so no session policy can be made from it";
        assertThat(approval).isInstanceOfSatisfying(Decision.Unapprovable.class,
                u -> assertThat(u.reason()).isEqualTo(reason));
        Alert stored = alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(audit.entries()).extracting(RecordingAuditTrail.Entry::event)
                .filteredOn(e -> e.action() == AuditAction.DECISION_REFUSED).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("the plan cannot be approved: " + reason));
        assertThat(triggered).isEmpty();

        Decision rejection = scoped.decide(alert.alertId(), REJECT, person("erin", "engineer"), "no", null, null);

        assertThat(rejection).isInstanceOf(Decision.Rejected.class);
    }

    @Test
    void anApprovalOfAPlanThatIsNotTheAlertsNow_isPlanChanged_andChangesNothing() {
        Alert alert = pending(Severity.MEDIUM, 1);
        String olderPlan = "0".repeat(64);

        Decision decision = recorder.decide(alert.alertId(), APPROVE, person("erin", "engineer"), null,
                olderPlan, null);

        assertThat(decision).isInstanceOfSatisfying(Decision.PlanChanged.class,
                c -> assertThat(c.alert().planHash()).isEqualTo(alert.planHash()));
        Alert stored = alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.approvals()).isEmpty();
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(triggered).isEmpty();
    }

    @Test
    void aRejection_endsIt_andLaterApprovalsFindItDecided() {
        Alert alert = pending(Severity.LOW, 1);

        Decision rejected = recorder.decide(alert.alertId(), REJECT,
                Identity.named("Lee (on call)", "203.0.113.5", "Mozilla/5.0"), "wrong bucket", null, null);
        Decision late = recorder.decide(alert.alertId(), APPROVE, person("alice", "admin"), null,
                alert.planHash(), null);

        assertThat(rejected).isInstanceOfSatisfying(Decision.Rejected.class,
                r -> assertThat(r.alert().rejectionReason()).isEqualTo("wrong bucket"));
        assertThat(late).isInstanceOfSatisfying(Decision.AlreadyDecided.class,
                d -> assertThat(d.alert().state()).isEqualTo(AlertState.REJECTED));
        assertThat(triggered).isEmpty();
        assertThat(metrics.values(MetricName.APPROVAL_RATE)).containsExactly(0.0);
        assertThat(metrics.values(MetricName.REJECTION_RATE)).containsExactly(1.0);
        assertThat(metrics.values(MetricName.FALSE_POSITIVE_RATE)).containsExactly(0.0);
    }

    @Test
    void anAlertOlderThanTheWindow_expiresInsteadOfBeingApproved() {
        Alert old = alerts.create(AlertFixtures.pending(AlertFixtures.detected("01JOLD" + suffix(),
                "shop.example.com", IssueType.HTTP_ERROR, Instant.now().minus(Duration.ofHours(25))), 1));

        Decision decision = recorder.decide(old.alertId(), APPROVE, person("alice", "admin"), null,
                old.planHash(), null);

        assertThat(decision).isInstanceOfSatisfying(Decision.Expired.class,
                e -> assertThat(e.alert().state()).isEqualTo(AlertState.EXPIRED));
        assertThat(recorder.decide(old.alertId(), APPROVE, person("alice", "admin"), null, old.planHash(), null))
                .isInstanceOf(Decision.Expired.class);
        assertThat(triggered).isEmpty();
        assertThat(recorded).singleElement().isInstanceOf(Decision.Expired.class);
    }

    @Test
    void unknownAndUnanalysedAlerts_haveTheirOwnOutcomes() {
        Alert detected = alerts.create(AlertFixtures.detected("01JDET" + suffix()));

        assertThat(recorder.decide("01JNOSUCHALERT", APPROVE, person("a", "admin"), null, null, null))
                .isEqualTo(new Decision.NotFound("01JNOSUCHALERT"));
        assertThat(recorder.decide(detected.alertId(), APPROVE, person("a", "admin"), null, null, null))
                .isInstanceOf(Decision.NotReady.class);
    }

    @Test
    void fiftyConcurrentApprovals_approveOnce_triggerOnce_andTell49ItIsDecided() throws Exception {
        Alert alert = pending(Severity.MEDIUM, 1);

        List<Decision> decisions = race(50, i -> recorder.decide(alert.alertId(), APPROVE,
                person("engineer-" + i, "engineer"), null, alert.planHash(), null));

        assertThat(decisions).filteredOn(d -> d instanceof Decision.Approved).hasSize(1);
        assertThat(decisions).filteredOn(d -> d instanceof Decision.AlreadyDecided).hasSize(49);
        assertThat(triggered).hasSize(1);
        assertThat(recorded).singleElement().isInstanceOf(Decision.Approved.class);
        assertThat(alerts.find(alert.alertId()).orElseThrow().approvals()).hasSize(1);
    }

    @Test
    void twoConcurrentApproversOfACriticalAlert_areBothCounted() throws Exception {
        Alert alert = pending(Severity.CRITICAL, 2);

        List<Decision> decisions = race(2, i -> recorder.decide(alert.alertId(), APPROVE,
                person(i == 0 ? "alice" : "bob", "admin"), null, alert.planHash(), null));

        assertThat(decisions).filteredOn(d -> d instanceof Decision.PartiallyApproved).hasSize(1);
        assertThat(decisions).filteredOn(d -> d instanceof Decision.Approved).hasSize(1);
        assertThat(alerts.find(alert.alertId()).orElseThrow().approvals()).hasSize(2);
        assertThat(triggered).hasSize(1);
    }

    private Alert pending(Severity severity, int required) {
        Alert detected = Alert.detect("01JPEND" + suffix(), Instant.now().minus(Duration.ofMinutes(5)),
                URI.create("https://shop.example.com/"), IssueType.HTTP_ERROR, severity, "HTTP 503",
                Actor.system("monitor"));
        return alerts.create(AlertFixtures.pending(detected, required));
    }

    private static Identity person(String name, String group) {
        return new Identity(name, "sub:" + name, true, Set.of(group), "203.0.113.7", "Mozilla/5.0");
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    }

    private interface Attempt {
        Decision run(int index);
    }

    private static List<Decision> race(int n, Attempt attempt) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<Decision>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return attempt.run(index);
                }));
            }
            go.countDown();
            List<Decision> out = new ArrayList<>();
            for (Future<Decision> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
