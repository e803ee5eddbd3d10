package dev.cloudops.alert;

import static dev.cloudops.testing.AlertFixtures.MONITOR;
import static dev.cloudops.testing.AlertFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.testing.AlertFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AlertRepository} must have, run against each adapter by a subclass that
 * supplies the store (one suite, many implementations).
 */
public abstract class AlertRepositoryContract {

    /** The retention the store under test must be configured with. */
    protected static final Duration RETENTION = Duration.ofDays(7);

    /** The store under test: the same instance throughout a test, empty when the test starts. */
    protected abstract AlertRepository repository();

    @Test
    public void create_setsTtlFromRetention_whenTheAlertHasNone() {
        Alert alert = AlertFixtures.detected("01JDETECTED0000000000000001");

        Alert stored = repository().create(alert);

        assertThat(stored.ttl()).isEqualTo(alert.timestamp().plus(RETENTION).truncatedTo(ChronoUnit.SECONDS));
        assertThat(repository().find(alert.alertId())).contains(stored);
    }

    @Test
    public void create_keepsEveryField_ofAFullyPopulatedAlert() {
        Alert alert = AlertFixtures.fullyPopulated("01JFULL00000000000000000001");

        Alert stored = repository().create(alert);

        assertThat(stored).isEqualTo(alert);
        assertThat(repository().find(alert.alertId())).contains(alert);
    }

    @Test
    public void create_throwsAlreadyExists_whenTheIdIsTaken() {
        Alert first = repository().create(AlertFixtures.detected("01JDUPLICATE000000000000001"));
        Alert other = AlertFixtures.detected(first.alertId(), "other.example", IssueType.TIMEOUT,
                AlertFixtures.DETECTED_AT.plusSeconds(60));

        assertThatThrownBy(() -> repository().create(other))
                .isInstanceOf(AlertAlreadyExistsException.class)
                .hasMessageContaining(first.alertId());
        assertThat(repository().find(first.alertId())).contains(first);
    }

    @Test
    public void find_returnsEmpty_forAnUnknownId() {
        assertThat(repository().find("01JUNKNOWN00000000000000001")).isEmpty();
    }

    @Test
    public void apply_storesEachTransition_andAppendsItsAuditEvent() {
        Alert detected = repository().create(AlertFixtures.detected("01JLIFECYCLE000000000000001"));
        Instant t = detected.timestamp();

        Alert pending = applied(detected.analyze(AlertFixtures.analysis(1), Actor.system("rules"), t.plusSeconds(5)));
        Alert approved = applied(pending.approve(person("alice"), "sub-alice", "ops-lead", "looks right", pending.planHash(), t.plusSeconds(60)));
        Alert executing = applied(approved.startExecution(Actor.system("execution"), t.plusSeconds(61)));

        Alert stored = repository().find(detected.alertId()).orElseThrow();
        assertThat(stored).isEqualTo(executing);
        assertThat(stored.state()).isEqualTo(AlertState.EXECUTING);
        assertThat(stored.version()).isEqualTo(detected.version() + 3);
        assertThat(stored.approvedBy()).isEqualTo("alice");
        assertThat(stored.plan()).isEqualTo(AlertFixtures.analysis(1).planJson());
        assertThat(stored.audit()).extracting(AuditEvent::action).containsExactly(
                AuditAction.DETECTED, AuditAction.ANALYZED, AuditAction.APPROVED, AuditAction.EXECUTION_STARTED);
        assertThat(stored.audit().get(2).sourceIp()).isEqualTo("203.0.113.7");
    }

    @Test
    public void apply_clearsFields_thatTheTransitionClears() {
        Alert pending = repository().create(AlertFixtures.pending("01JREMOVE000000000000000001"));
        AuditEvent event = AuditChain.append(pending.alertId(), pending.audit(), AuditEvent.of(
                pending.timestamp().plusSeconds(9), AuditAction.ANALYZED, MONITOR, "PENDING_APPROVAL",
                "impact withdrawn"));
        List<AuditEvent> trail = new ArrayList<>(pending.audit());
        trail.add(event);
        Alert after = pending.toBuilder().estimatedImpact(null).audit(trail).version(pending.version() + 1).build();

        TransitionResult result = repository().apply(new Transition(pending, after, event));

        assertThat(result).isEqualTo(new TransitionResult.Applied(after));
        assertThat(repository().find(pending.alertId()).orElseThrow().estimatedImpact()).isNull();
    }

    @Test
    public void apply_returnsConflict_whenAnotherWriterChangedTheAlertFirst() {
        Alert pending = repository().create(AlertFixtures.pending("01JCONFLICT0000000000000001"));
        Instant t = pending.timestamp().plusSeconds(60);
        Alert rejected = applied(pending.reject(person("bob"), "wrong fix", t));

        TransitionResult late = repository().apply(pending.approve(person("alice"), "sub-alice", "admin", null, pending.planHash(), t));

        assertThat(late).isEqualTo(new TransitionResult.Conflict(rejected));
        assertThat(repository().find(pending.alertId()).orElseThrow().state()).isEqualTo(AlertState.REJECTED);
    }

    @Test
    public void apply_returnsConflict_whenOnlyTheVersionMoved() {
        Alert pending = repository().create(AlertFixtures.pending(
                AlertFixtures.detected("01JVERSION0000000000000001"), 2));
        Instant t = pending.timestamp().plusSeconds(60);
        Alert firstApproval = applied(pending.approve(person("alice"), "sub-alice", "admin", null, pending.planHash(), t));

        TransitionResult stale = repository().apply(pending.approve(person("bob"), "sub-bob", "admin", null, pending.planHash(), t.plusSeconds(1)));

        assertThat(firstApproval.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stale).isEqualTo(new TransitionResult.Conflict(firstApproval));
        assertThat(repository().find(pending.alertId()).orElseThrow().approvals()).extracting(Approval::by)
                .containsExactly("alice");
    }

    @Test
    public void apply_returnsNotFound_whenTheAlertIsGone() {
        Alert neverStored = AlertFixtures.pending("01JNOTSTORED000000000000001");

        TransitionResult result = repository().apply(
                neverStored.reject(person("bob"), "no", neverStored.timestamp().plusSeconds(1)));

        assertThat(result).isEqualTo(new TransitionResult.NotFound(neverStored.alertId()));
        assertThat(repository().find(neverStored.alertId())).isEmpty();
    }

    @Test
    public void listExecuting_findsTheExecutingAlerts_behindAnyNumberOfOthers() {
        Actor executor = Actor.system("execution");
        List<String> executing = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Alert approved = repository().create(AlertFixtures.approved("01JEXEC0000000000000000%03d".formatted(i)));
            Alert running = applied(approved.startExecution(executor, approved.timestamp().plusSeconds(90)));
            if (i % 10 == 7) {
                executing.add(running.alertId());
            } else {
                applied(running.finishExecution(new ExecutionReport(ExecutionStatus.COMPLETED,
                        running.timestamp().plusSeconds(90), running.timestamp().plusSeconds(95), "s3://b/log.md",
                        "done"), executor, running.timestamp().plusSeconds(95)));
            }
        }

        List<Alert> found = repository().listExecuting(2);

        assertThat(repository().listExecuting(100)).extracting(Alert::alertId)
                .containsExactlyInAnyOrderElementsOf(executing);
        assertThat(found).hasSize(2).allSatisfy(a -> {
            assertThat(a.state()).isEqualTo(AlertState.EXECUTING);
            assertThat(executing).contains(a.alertId());
        });
    }

    @Test
    public void apply_keepsEventsAndOccurrences_recordedSinceTheAlertWasRead() {
        Alert pending = repository().create(AlertFixtures.pending("01JKEEPS000000000000000001"));
        Instant t = pending.timestamp().plusSeconds(30);
        AuditEvent notified = AuditEvent.of(t, AuditAction.NOTIFIED, MONITOR, "sent", "teams");
        repository().appendEvent(pending.alertId(), notified);
        repository().recordOccurrence(pending.alertId(), t);

        Alert approved = applied(pending.approve(person("alice"), "sub-alice", "admin", null, pending.planHash(), t.plusSeconds(30)));

        assertThat(approved.state()).isEqualTo(AlertState.APPROVED);
        assertThat(approved.occurrences()).isEqualTo(2);
        assertThat(approved.audit()).extracting(AuditEvent::action).containsExactly(
                AuditAction.DETECTED, AuditAction.ANALYZED, AuditAction.NOTIFIED, AuditAction.APPROVED);
        assertThat(repository().find(pending.alertId())).contains(approved);
    }

    @Test
    public void listByStatus_pagesNewestFirst_withOpaqueCursors() {
        for (int i = 0; i < 5; i++) {
            Alert detected = AlertFixtures.detected("01JQUEUE00000000000000000" + i, "site" + i + ".example",
                    IssueType.HTTP_ERROR, AlertFixtures.DETECTED_AT.plusSeconds(i * 60L));
            repository().create(AlertFixtures.pending(detected, 1));
        }
        repository().create(AlertFixtures.detected("01JQUEUEDETECTED0000000001"));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Alert> page = repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 2, cursor);
            page.items().forEach(a -> seen.add(a.alertId()));
            cursor = page.nextCursor().orElse(null);
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactly("01JQUEUE000000000000000004", "01JQUEUE000000000000000003",
                "01JQUEUE000000000000000002", "01JQUEUE000000000000000001", "01JQUEUE000000000000000000");
        assertThat(pages).isBetween(3, 4);
        assertThat(repository().listByStatus(ApprovalStatus.DETECTED, 10, null).items())
                .extracting(Alert::alertId).containsExactly("01JQUEUEDETECTED0000000001");
    }

    @Test
    public void listByStatus_refusesCursors_thatItDidNotIssueForThatList() {
        for (int i = 0; i < 3; i++) {
            repository().create(AlertFixtures.pending(AlertFixtures.detected("01JCURSOR000000000000000" + i,
                    "c" + i + ".example", IssueType.TIMEOUT, AlertFixtures.DETECTED_AT.plusSeconds(i)), 1));
        }
        String cursor = repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 1, null).nextCursor().orElseThrow();
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alert_id\":\"x\",\"approval_status\":\"PENDING_APPROVAL\",\"timestamp\":\"now\"}".getBytes());

        assertThatThrownBy(() -> repository().listByStatus(ApprovalStatus.APPROVED, 1, cursor))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("PENDING_APPROVAL list");
        assertThatThrownBy(() -> repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 1, "not-base64!"))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 1, tampered))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("timestamp");
        assertThat(repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 1, cursor).items())
                .extracting(Alert::alertId).containsExactly("01JCURSOR0000000000000001");
    }

    @Test
    public void listByStatus_refusesPageSizes_outsideOneToAHundred() {
        assertThatThrownBy(() -> repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size");
        assertThatThrownBy(() -> repository().listByStatus(ApprovalStatus.PENDING_APPROVAL, 101, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size");
    }

    @Test
    public void listByStatusBefore_returnsTheOldestAlertsOlderThanTheCutoff() {
        for (int i = 0; i < 4; i++) {
            repository().create(AlertFixtures.pending(AlertFixtures.detected("01JOLD0000000000000000000" + i,
                    "old" + i + ".example", IssueType.HTTP_ERROR, AlertFixtures.DETECTED_AT.plusSeconds(i * 3600L)), 1));
        }

        List<Alert> old = repository().listByStatusBefore(ApprovalStatus.PENDING_APPROVAL,
                AlertFixtures.DETECTED_AT.plusSeconds(2 * 3600L), 10);

        assertThat(old).extracting(Alert::alertId).containsExactly("01JOLD00000000000000000000",
                "01JOLD00000000000000000001");
        assertThat(repository().listByStatusBefore(ApprovalStatus.PENDING_APPROVAL, AlertFixtures.DETECTED_AT, 10))
                .isEmpty();
        assertThat(repository().listByStatusBefore(ApprovalStatus.APPROVED,
                AlertFixtures.DETECTED_AT.plusSeconds(5 * 3600L), 10)).isEmpty();
    }

    @Test
    public void findOpenByFingerprint_returnsTheNewestOpenAlert_andIgnoresClosedOnes() {
        Instant t = AlertFixtures.DETECTED_AT;
        Alert old = repository().create(AlertFixtures.pending(
                AlertFixtures.detected("01JFP00000000000000000000A", "shop.example", IssueType.TLS_ERROR, t), 1));
        applied(old.reject(person("bob"), "noise", t.plusSeconds(10)));
        Alert open = repository().create(AlertFixtures.detected("01JFP00000000000000000000B", "shop.example",
                IssueType.TLS_ERROR, t.plusSeconds(100)));
        repository().create(AlertFixtures.detected("01JFP00000000000000000000C", "shop.example",
                IssueType.DNS_FAILURE, t.plusSeconds(200)));

        assertThat(repository().findOpenByFingerprint("shop.example#TLS_ERROR")).contains(open);
        assertThat(repository().findOpenByFingerprint("other.example#TLS_ERROR")).isEmpty();

        applied(open.resolveRecovered(MONITOR, "healthy again", t.plusSeconds(300)));
        assertThat(repository().findOpenByFingerprint("shop.example#TLS_ERROR")).isEmpty();
    }

    @Test
    public void recordOccurrence_countsRepeatsOfAnOpenAlert_withoutANewVersion() {
        Alert pending = repository().create(AlertFixtures.pending("01JOCCURS000000000000000001"));
        Instant later = pending.timestamp().plusSeconds(300);

        Alert counted = repository().recordOccurrence(pending.alertId(), later).orElseThrow();
        TransitionResult decision = repository().apply(pending.approve(person("alice"), "sub-alice", "admin", null, pending.planHash(), later));

        assertThat(counted.occurrences()).isEqualTo(2);
        assertThat(counted.lastSeen()).isEqualTo(later);
        assertThat(counted.version()).isEqualTo(pending.version());
        assertThat(counted.audit()).isEqualTo(pending.audit());
        assertThat(decision).isInstanceOf(TransitionResult.Applied.class);
        assertThat(repository().find(pending.alertId()).orElseThrow().occurrences())
                .as("the decision's write leaves the count alone").isEqualTo(2);
    }

    @Test
    public void recordOccurrence_leavesClosedAndMissingAlertsAlone() {
        Alert pending = repository().create(AlertFixtures.pending("01JOCCURSCLOSED000000000001"));
        applied(pending.reject(person("bob"), "noise", pending.timestamp().plusSeconds(1)));

        assertThat(repository().recordOccurrence(pending.alertId(), pending.timestamp().plusSeconds(60))).isEmpty();
        assertThat(repository().recordOccurrence("01JMISSING00000000000000001", pending.timestamp())).isEmpty();
        assertThat(repository().find(pending.alertId()).orElseThrow().occurrences()).isEqualTo(1);
    }

    @Test
    public void appendEvent_addsToTheAuditTrail_withoutANewVersion() {
        Alert pending = repository().create(AlertFixtures.pending("01JAPPEND000000000000000001"));
        AuditEvent viewed = new AuditEvent(pending.timestamp().plusSeconds(20), AuditAction.NOTIFIED, "notifier",
                true, null, null, "sent", "slack");

        boolean appended = repository().appendEvent(pending.alertId(), viewed);

        assertThat(appended).isTrue();
        Alert stored = repository().find(pending.alertId()).orElseThrow();
        assertThat(stored.audit()).endsWith(AuditChain.append(pending.alertId(), pending.audit(), viewed))
                .hasSize(pending.audit().size() + 1);
        assertThat(stored.version()).isEqualTo(pending.version());
        assertThat(stored.state()).isEqualTo(pending.state());
    }

    @Test
    public void everyWrite_keepsTheTrailChained_withItsHeadStoredBesideIt() {
        Alert pending = repository().create(AlertFixtures.pending("01JCHAINED0000000000000001"));
        Instant t = pending.timestamp().plusSeconds(30);

        assertThat(AuditChain.verify(pending.alertId(), pending.audit(),
                repository().storedHead(pending.alertId()).orElseThrow())).isInstanceOf(AuditChain.Verdict.Intact.class);
        repository().appendEvent(pending.alertId(), AuditEvent.of(t, AuditAction.NOTIFIED, MONITOR, "sent", "teams"));
        // Made from the alert as read before the notification: same version, a shorter trail.
        TransitionResult approved = repository().apply(pending.approve(person("alice"), "sub-alice", "admin", null,
                pending.planHash(), t.plusSeconds(1)));
        repository().appendEvent(pending.alertId(), AuditEvent.of(t.plusSeconds(2), AuditAction.NOTIFIED, MONITOR,
                "sent", "email"));

        assertThat(approved).isInstanceOf(TransitionResult.Applied.class);
        Alert stored = repository().find(pending.alertId()).orElseThrow();
        assertThat(stored.audit()).extracting(AuditEvent::action).endsWith(AuditAction.NOTIFIED,
                AuditAction.APPROVED, AuditAction.NOTIFIED);
        AuditChain.Head head = repository().storedHead(pending.alertId()).orElseThrow();
        assertThat(head).isEqualTo(stored.auditHead());
        assertThat(AuditChain.verify(pending.alertId(), stored.audit(), head))
                .isEqualTo(new AuditChain.Verdict.Intact(pending.audit().size() + 3));
        assertThat(repository().storedHead("01JNOSUCHALERT000000000001")).isEmpty();
    }

    @Test
    public void concurrentAppendsAndADecision_cannotForkTheChain() throws Exception {
        Alert pending = repository().create(AlertFixtures.pending("01JFORK00000000000000000001"));
        Instant t = pending.timestamp().plusSeconds(30);
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers + 1)) {
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return repository().appendEvent(pending.alertId(), AuditEvent.of(t.plusMillis(n),
                            AuditAction.NOTIFIED, MONITOR, "sent", "writer " + n));
                }));
            }
            results.add(pool.submit(() -> {
                go.await();
                return repository().apply(pending.approve(person("alice"), "sub-alice", "admin", null,
                        pending.planHash(), t.plusSeconds(1))) instanceof TransitionResult.Applied;
            }));
            go.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }

        Alert stored = repository().find(pending.alertId()).orElseThrow();
        assertThat(stored.audit()).hasSize(pending.audit().size() + writers + 1);
        assertThat(stored.audit().stream().map(AuditEvent::previous).distinct()).as("no two entries share a link")
                .hasSize(stored.audit().size());
        assertThat(AuditChain.verify(pending.alertId(), stored.audit(),
                repository().storedHead(pending.alertId()).orElseThrow()))
                .isEqualTo(new AuditChain.Verdict.Intact(stored.audit().size()));
    }

    @Test
    public void appendEvent_returnsFalse_whenTheAlertDoesNotExist() {
        AuditEvent event = AuditEvent.of(AlertFixtures.DETECTED_AT, AuditAction.NOTIFIED, MONITOR, "sent", null);

        boolean appended = repository().appendEvent("01JNOSUCHALERT000000000001", event);

        assertThat(appended).isFalse();
        assertThat(repository().find("01JNOSUCHALERT000000000001")).isEmpty();
    }

    @Test
    public void noteRefusal_countsRefusals_atMostOncePerQuietPeriod_withoutTheEventOrANewVersion() {
        Alert pending = repository().create(AlertFixtures.pending("01JREFUSED0000000000000001"));
        Instant t = pending.timestamp().plusSeconds(60);
        Duration quiet = Duration.ofSeconds(10);

        boolean first = repository().noteRefusal(pending.alertId(), refusal(t), quiet);
        boolean tooSoon = repository().noteRefusal(pending.alertId(), refusal(t.plusSeconds(9)), quiet);
        boolean later = repository().noteRefusal(pending.alertId(), refusal(t.plusSeconds(10)), quiet);

        assertThat(first).isTrue();
        assertThat(tooSoon).isFalse();
        assertThat(later).isTrue();
        Alert stored = repository().find(pending.alertId()).orElseThrow();
        assertThat(stored.refusedAttempts()).isEqualTo(2);
        assertThat(stored.lastRefusedAt()).isEqualTo(t.plusSeconds(10));
        assertThat(stored.audit()).isEqualTo(pending.audit());
        assertThat(stored.version()).isEqualTo(pending.version());
    }

    @Test
    public void noteRefusal_returnsFalse_whenTheAlertDoesNotExist() {
        boolean noted = repository().noteRefusal("01JNOSUCHALERT000000000002", refusal(AlertFixtures.DETECTED_AT),
                Duration.ofSeconds(10));

        assertThat(noted).isFalse();
        assertThat(repository().find("01JNOSUCHALERT000000000002")).isEmpty();
    }

    @Test
    public void aRefusalNotedAfterTheAlertWasRead_neverMakesTheDecisionFail_andIsKept() {
        Alert pending = repository().create(AlertFixtures.pending("01JREFUSEDRACE000000000001"));
        Instant t = pending.timestamp().plusSeconds(60);
        repository().noteRefusal(pending.alertId(), refusal(t), Duration.ofSeconds(10));

        TransitionResult decision = repository().apply(pending.approve(person("alice"), "sub-alice", "admin", null,
                pending.planHash(), t.plusSeconds(1)));

        assertThat(decision).isInstanceOfSatisfying(TransitionResult.Applied.class, a -> {
            assertThat(a.alert().state()).isEqualTo(AlertState.APPROVED);
            assertThat(a.alert().refusedAttempts()).as("the decision's write leaves the count alone").isEqualTo(1);
            assertThat(a.alert().lastRefusedAt()).isEqualTo(t);
        });
    }

    private static AuditEvent refusal(Instant at) {
        return AuditEvent.of(at, AuditAction.DECISION_REFUSED, new Actor("mallory", false, "198.51.100.9", "curl"),
                "refused 403", "the form's CSRF token is missing; reload the review page");
    }

    @Test
    public void fiftyConcurrentApprovals_haveExactlyOneWinner() throws Exception {
        Alert pending = repository().create(AlertFixtures.pending("01JRACEAPPROVE0000000000001"));

        List<TransitionResult> results = race(50, i -> repository().apply(
                pending.approve(person("approver-" + i), "sub-approver-" + i, "admin", null, pending.planHash(), pending.timestamp().plusSeconds(60))));

        assertThat(results).filteredOn(r -> r instanceof TransitionResult.Applied).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof TransitionResult.Conflict c
                && c.current().state() == AlertState.APPROVED).hasSize(49);
        Alert stored = repository().find(pending.alertId()).orElseThrow();
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.APPROVED).hasSize(1);
        assertThat(stored.approvals()).hasSize(1);
        assertThat(stored.version()).isEqualTo(pending.version() + 1);
    }

    @Test
    public void twoConcurrentClaims_startExactlyOneExecution() throws Exception {
        Alert approved = repository().create(AlertFixtures.approved("01JRACECLAIM00000000000001"));

        List<TransitionResult> results = race(2, i -> repository().apply(
                approved.startExecution(Actor.system("execution-" + i), approved.timestamp().plusSeconds(90))));

        assertThat(results).filteredOn(r -> r instanceof TransitionResult.Applied).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof TransitionResult.Conflict c
                && c.current().state() == AlertState.EXECUTING).hasSize(1);
        assertThat(repository().find(approved.alertId()).orElseThrow().audit())
                .filteredOn(e -> e.action() == AuditAction.EXECUTION_STARTED).hasSize(1);
    }

    /** Applies a transition that must win, returning the stored alert. */
    protected final Alert applied(Transition transition) {
        TransitionResult result = repository().apply(transition);
        assertThat(result).isInstanceOf(TransitionResult.Applied.class);
        return ((TransitionResult.Applied) result).alert();
    }

    private interface Attempt {
        TransitionResult run(int index);
    }

    /** Runs n attempts on n threads released at the same instant. */
    private static List<TransitionResult> race(int n, Attempt attempt) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<TransitionResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return attempt.run(index);
                }));
            }
            ready.await();
            go.countDown();
            List<TransitionResult> results = new ArrayList<>();
            for (Future<TransitionResult> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
