package dev.cloudops.alert;

import static dev.cloudops.testing.AlertFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.testing.AlertFixtures;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertTest {

    private static final Instant T = AlertFixtures.DETECTED_AT.plusSeconds(120);
    private static final Actor SYSTEM = Actor.system("execution");

    /** Every lifecycle operation, by name. */
    private static final Map<String, Function<Alert, Transition>> OPERATIONS = Map.of(
            "analyze", a -> a.analyze(AlertFixtures.analysis(1), SYSTEM, T),
            "approve", a -> a.approve(person("alice"), "sub-alice", "admin", null, a.planHash(), T),
            "reject", a -> a.reject(person("bob"), "not now", T),
            "expire", a -> a.expire(SYSTEM, "nobody decided", T),
            "resolveRecovered", a -> a.resolveRecovered(SYSTEM, "healthy again", T),
            "startExecution", a -> a.startExecution(SYSTEM, T),
            "deferExecution", a -> a.deferExecution(SYSTEM, "window closed", T),
            "finishCompleted", a -> a.finishExecution(report(ExecutionStatus.COMPLETED), SYSTEM, T),
            "finishFailed", a -> a.finishExecution(report(ExecutionStatus.FAILED), SYSTEM, T),
            "finishRolledBack", a -> a.finishExecution(report(ExecutionStatus.ROLLED_BACK), SYSTEM, T));

    /** The lifecycle of DESIGN.md section 2, written out independently of the code: (from, operation) → to. */
    private static final Map<String, Map<AlertState, AlertState>> ALLOWED = Map.of(
            "analyze", Map.of(AlertState.DETECTED, AlertState.PENDING_APPROVAL),
            "approve", Map.of(AlertState.PENDING_APPROVAL, AlertState.APPROVED),
            "reject", Map.of(AlertState.PENDING_APPROVAL, AlertState.REJECTED),
            "expire", Map.of(
                    AlertState.PENDING_APPROVAL, AlertState.EXPIRED,
                    AlertState.APPROVED, AlertState.EXPIRED,
                    AlertState.EXECUTING, AlertState.EXPIRED),
            "resolveRecovered", Map.of(
                    AlertState.DETECTED, AlertState.RESOLVED,
                    AlertState.PENDING_APPROVAL, AlertState.RESOLVED,
                    AlertState.APPROVED, AlertState.RESOLVED,
                    AlertState.EXECUTING, AlertState.RESOLVED),
            "startExecution", Map.of(AlertState.APPROVED, AlertState.EXECUTING),
            "deferExecution", Map.of(AlertState.EXECUTING, AlertState.APPROVED),
            "finishCompleted", Map.of(AlertState.EXECUTING, AlertState.COMPLETED),
            "finishFailed", Map.of(AlertState.EXECUTING, AlertState.FAILED),
            "finishRolledBack", Map.of(AlertState.EXECUTING, AlertState.ROLLED_BACK));

    static Stream<Arguments> allowedTransitions() {
        List<Arguments> cases = new ArrayList<>();
        ALLOWED.forEach((operation, moves) -> moves.forEach((from, to) -> cases.add(Arguments.of(from, operation, to))));
        return cases.stream();
    }

    static Stream<Arguments> forbiddenTransitions() {
        List<Arguments> cases = new ArrayList<>();
        for (AlertState from : AlertState.values()) {
            for (String operation : OPERATIONS.keySet()) {
                if (!ALLOWED.get(operation).containsKey(from)) {
                    cases.add(Arguments.of(from, operation));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("allowedTransitions")
    void allowedTransition_movesToTheNextState_withOneAuditEventAndTheNextVersion(
            AlertState from, String operation, AlertState to) {
        Alert alert = inState(from);

        Transition t = OPERATIONS.get(operation).apply(alert);

        assertThat(t.before()).isSameAs(alert);
        assertThat(t.after().state()).isEqualTo(to);
        assertThat(t.after().version()).isEqualTo(alert.version() + 1);
        assertThat(t.after().audit()).hasSize(alert.audit().size() + 1).endsWith(t.event());
        assertThat(t.event().at()).isEqualTo(T);
        assertThat(alert.state()).as("the original is unchanged").isEqualTo(from);
    }

    @ParameterizedTest(name = "{0} cannot {1}")
    @MethodSource("forbiddenTransitions")
    void forbiddenTransition_throws_namingTheAlertTheStateAndTheAttempt(AlertState from, String operation) {
        Alert alert = inState(from);

        assertThatThrownBy(() -> OPERATIONS.get(operation).apply(alert))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.alertId()).isEqualTo(alert.alertId());
                    assertThat(e.current()).isEqualTo(from);
                })
                .hasMessageContaining(alert.alertId())
                .hasMessageContaining(" is " + from + ":");
    }

    @Test
    void everyStateIsCovered_byTheTransitionTable() {
        Set<AlertState> reachable = EnumSet.noneOf(AlertState.class);
        ALLOWED.values().forEach(moves -> reachable.addAll(moves.values()));

        assertThat(reachable).containsAll(EnumSet.complementOf(EnumSet.of(AlertState.DETECTED)));
        assertThat(allowedTransitions().count() + forbiddenTransitions().count())
                .isEqualTo((long) AlertState.values().length * OPERATIONS.size());
    }

    @Test
    void detect_derivesDomainAndFingerprint_andRecordsTheDetection() {
        Alert alert = Alert.detect("01JX", T, URI.create("https://WWW.Example.COM:8443/health"), IssueType.TLS_ERROR,
                Severity.CRITICAL, "handshake failed", AlertFixtures.MONITOR);

        assertThat(alert.domain()).isEqualTo("www.example.com");
        assertThat(alert.fingerprint()).isEqualTo("www.example.com#TLS_ERROR");
        assertThat(alert.state()).isEqualTo(AlertState.DETECTED);
        assertThat(alert.approvalStatus()).isEqualTo(ApprovalStatus.DETECTED);
        assertThat(alert.executionStatus()).isEqualTo(ExecutionStatus.NOT_STARTED);
        assertThat(alert.version()).isEqualTo(1);
        assertThat(alert.occurrences()).isEqualTo(1);
        assertThat(alert.lastSeen()).isEqualTo(T);
        assertThat(alert.audit()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.DETECTED);
            assertThat(e.actor()).isEqualTo("monitor");
            assertThat(e.detail()).contains("TLS_ERROR", "handshake failed");
        });
    }

    @Test
    void analyze_keepsASummaryOfAtMost1000Characters_andThePlan() {
        Alert detected = AlertFixtures.detected("01JX");
        Analysis analysis = new Analysis(Analyzer.BEDROCK, "s-1", "x".repeat(5_000), "k", "u", "e",
                "{\"steps\":[]}", "f".repeat(64), 2, List.of("S3"), "impact", "1200 input tokens");

        Alert pending = detected.analyze(analysis, SYSTEM, T).after();

        assertThat(pending.agentAnalysis()).hasSize(Alert.MAX_SUMMARY_CHARS).endsWith("…");
        assertThat(pending.plan()).isEqualTo("{\"steps\":[]}");
        assertThat(pending.planHash()).isEqualTo("f".repeat(64));
        assertThat(pending.analyzer()).isEqualTo(Analyzer.BEDROCK);
        assertThat(pending.requiredApprovals()).isEqualTo(2);
        assertThat(pending.agentSessionId()).isEqualTo("s-1");
        assertThat(pending.audit().getLast().detail()).isEqualTo("analysed by bedrock; plan " + "f".repeat(64)
                + "; 1200 input tokens");
    }

    @Test
    void approve_needsTwoDistinctPeople_whenTwoApprovalsAreRequired() {
        Alert pending = AlertFixtures.pending(AlertFixtures.detected("01JX"), 2);

        Alert once = pending.approve(person("alice"), "sub-alice", "admin", "ok", pending.planHash(), T).after();
        Alert twice = once.approve(person("bob"), "sub-bob", "ops-lead", "agreed", once.planHash(), T.plusSeconds(5)).after();

        assertThat(once.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(once.audit().getLast().action()).isEqualTo(AuditAction.APPROVAL_RECORDED);
        assertThat(once.audit().getLast().result()).isEqualTo("approval 1 of 2");
        assertThat(twice.state()).isEqualTo(AlertState.APPROVED);
        assertThat(twice.approvedBy()).isEqualTo("alice, bob");
        assertThat(twice.approvedAt()).isEqualTo(T.plusSeconds(5));
        assertThat(twice.approvals()).extracting(Approval::by, Approval::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alice", "admin"),
                org.assertj.core.groups.Tuple.tuple("bob", "ops-lead"));
        assertThat(twice.approvals()).extracting(Approval::subject, Approval::planHash).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sub-alice", pending.planHash()),
                org.assertj.core.groups.Tuple.tuple("sub-bob", pending.planHash()));
    }

    @Test
    void approve_countsOnePersonOnce_byTheirSubject_whateverNameTheirTokenCarries() {
        Alert pending = AlertFixtures.pending(AlertFixtures.detected("01JX"), 2);
        Alert once = pending.approve(person("alice@example.com"), "sub-alice", "admin", null, pending.planHash(), T)
                .after();

        // An access token names the user by username, an ID token by email: the subject is the same.
        assertThatThrownBy(() -> once.approve(person("alice"), "sub-alice", "admin", null, once.planHash(), T))
                .isInstanceOf(DuplicateApproverException.class)
                .hasMessageContaining("already approved by alice");
        Alert other = once.approve(person("alice@example.com"), "sub-mallory", "admin", null, once.planHash(), T)
                .after();
        assertThat(other.state()).isEqualTo(AlertState.APPROVED);
    }

    @Test
    void approve_refusesAPlanOtherThanTheOneShown() {
        Alert pending = AlertFixtures.pending("01JX");

        assertThatThrownBy(() -> pending.approve(person("alice"), "sub-alice", "admin", null, "b".repeat(64), T))
                .isInstanceOf(StalePlanException.class)
                .hasMessageContaining("reload the page");
        assertThatThrownBy(() -> pending.approve(person("alice"), "sub-alice", "admin", null, null, T))
                .isInstanceOf(StalePlanException.class);
    }

    @Test
    void reject_keepsTheReason_andClosesTheAlert() {
        Alert rejected = AlertFixtures.pending("01JX").reject(person("bob"), "wrong bucket", T).after();

        assertThat(rejected.rejectionReason()).isEqualTo("wrong bucket");
        assertThat(rejected.resolution()).isEqualTo(Resolution.REJECTED);
        assertThat(rejected.resolvedAt()).isEqualTo(T);
        assertThat(rejected.isOpen()).isFalse();
    }

    @Test
    void finishExecution_recordsTheRunAndItsLog() {
        Alert executing = AlertFixtures.approved("01JX").startExecution(SYSTEM, T).after();
        ExecutionReport report = new ExecutionReport(ExecutionStatus.COMPLETED, T, T.plusMillis(12_345),
                "https://log", "2 steps applied, verified healthy");

        Alert done = executing.finishExecution(report, SYSTEM, T.plusSeconds(13)).after();

        assertThat(done.state()).isEqualTo(AlertState.COMPLETED);
        assertThat(done.executedAt()).isEqualTo(T);
        assertThat(done.executionDuration()).isEqualTo(Duration.ofMillis(12_345));
        assertThat(done.executionLogUrl()).isEqualTo("https://log");
        assertThat(done.resolution()).isEqualTo(Resolution.REMEDIATED);
        assertThat(done.audit().getLast().detail()).isEqualTo("2 steps applied, verified healthy");
    }

    @Test
    void aRolledBackExecution_isClosedWithoutARemediation() {
        Alert executing = AlertFixtures.approved("01JX").startExecution(SYSTEM, T).after();

        Alert rolledBack = executing.finishExecution(report(ExecutionStatus.ROLLED_BACK), SYSTEM, T).after();

        assertThat(rolledBack.resolution()).isNull();
        assertThat(rolledBack.isOpen()).isFalse();
    }

    @Test
    void transition_refusesAnAfterThatSkipsAVersionOrRewritesTheTrail() {
        Alert pending = AlertFixtures.pending("01JX");
        Transition valid = pending.reject(person("bob"), "no", T);

        assertThatThrownBy(() -> new Transition(pending, valid.after().toBuilder().version(9).build(), valid.event()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> new Transition(pending, valid.after().toBuilder().audit(List.of()).build(),
                valid.event()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audit");
    }

    private static Alert inState(AlertState state) {
        return AlertFixtures.pending("01JSTATE").toBuilder().state(state).build();
    }

    private static ExecutionReport report(ExecutionStatus outcome) {
        return new ExecutionReport(outcome, T.minusSeconds(30), T, "https://log", outcome.name());
    }
}
