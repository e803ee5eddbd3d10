package dev.cloudops.execution.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The executors' credentials: none outside a session, a session of the executor role with the approved plan's
 * policy inside one (asked for on first use, kept, renewed before it expires), and none for a plan approved with
 * another policy.
 */
class PlanCredentialsTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/cloudops-executor";
    private static final SessionScope SCOPE = SessionScope.of(ROLE);
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final List<String> issued = new ArrayList<>();
    private Instant now = NOW;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final PlanCredentials credentials = new PlanCredentials(SCOPE, (role, name, policy, seconds) -> {
        issued.add(role + " " + name + " " + policy.sha256() + " " + seconds);
        return AwsSessionCredentials.builder().accessKeyId("ASIA" + issued.size()).secretAccessKey("secret")
                .sessionToken("token").expirationTime(now.plusSeconds(seconds)).build();
    }, clock);

    @Test
    void outsideASession_thereAreNoCredentials() {
        assertThatThrownBy(credentials::resolveCredentials).isInstanceOf(SdkClientException.class)
                .hasMessageContaining("no approved plan is being run");
        assertThat(issued).isEmpty();
    }

    @Test
    void inASession_theRoleIsAssumedOnFirstUse_withThePlansPolicy_andTheSessionIsKeptUntilNearItsEnd() {
        Alert alert = approved(enable(), policyHash(enable()));

        try (var session = credentials.open(alert)) {
            assertThat(issued).as("nothing asked before a call needs credentials").isEmpty();
            AwsCredentials first = credentials.resolveCredentials();
            AwsCredentials again = credentials.resolveCredentials();
            now = now.plus(Duration.ofMinutes(14)).plusSeconds(1);
            AwsCredentials renewed = credentials.resolveCredentials();

            assertThat(first.accessKeyId()).isEqualTo("ASIA1");
            assertThat(again).isSameAs(first);
            assertThat(renewed.accessKeyId()).as("within a minute of its end, a new session").isEqualTo("ASIA2");
            assertThat(issued).hasSize(2).allSatisfy(call -> assertThat(call).isEqualTo(ROLE + " cloudops-"
                    + alert.alertId() + " " + policyHash(enable()) + " 900"));
        }
        assertThatThrownBy(credentials::resolveCredentials).as("closed: the credentials are dropped")
                .hasMessageContaining("no approved plan is being run");
    }

    @Test
    void aPlanApprovedWithAnotherPolicy_getsNoCredentials_andNothingIsAskedOfSts() {
        Alert alert = approved(enable(), "0".repeat(64));

        try (var session = credentials.open(alert)) {
            assertThatThrownBy(credentials::resolveCredentials).isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("no credentials for alert " + alert.alertId())
                    .hasMessageContaining("erin@example.com approved the session policy " + "0".repeat(64) + ", not "
                            + policyHash(enable()));
        }
        assertThat(issued).isEmpty();
    }

    @Test
    void anApprovalThatNamedNoPolicy_getsNoCredentials() {
        Alert alert = approved(enable(), null);

        try (var session = credentials.open(alert)) {
            assertThatThrownBy(credentials::resolveCredentials).hasMessageContaining("approved no session policy");
        }
        assertThat(issued).isEmpty();
    }

    @Test
    void aStoredPlanThatIsNotTheApprovedOne_getsNoCredentials() {
        Alert alert = approved(enable(), policyHash(enable()));
        Alert swapped = alert.toBuilder().plan(PlanJson.canonical(disable())).build();

        try (var session = credentials.open(swapped)) {
            assertThatThrownBy(credentials::resolveCredentials).hasMessageContaining("not the approved one");
        }
        assertThat(issued).isEmpty();
    }

    @Test
    void oneSessionAtATime() {
        Alert alert = approved(enable(), policyHash(enable()));

        try (var session = credentials.open(alert)) {
            assertThatThrownBy(() -> credentials.open(alert)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a session for alert " + alert.alertId() + " is open");
        }
        try (var again = credentials.open(alert)) {
            assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo("ASIA1");
        }
    }

    @Test
    void theSessionName_isWhatStsAccepts() {
        assertThat(PlanCredentials.sessionName("01JABC")).isEqualTo("cloudops-01JABC");
        assertThat(PlanCredentials.sessionName("a b/c:" + "x".repeat(80))).hasSize(64).startsWith("cloudops-a-b-c-")
                .matches("[\\w+=,.@-]+");
    }

    @Test
    void thePolicyOfAPlan_isTheScopesPolicy() {
        assertThat(credentials.policy(enable())).get().isInstanceOfSatisfying(SessionPolicy.Scoped.class,
                scoped -> assertThat(scoped.sha256()).isEqualTo(policyHash(enable())));
        assertThat(PlanSessions.UNSCOPED.policy(enable())).isEmpty();
        assertThat(PlanSessions.hashOf(PlanSessions.UNSCOPED.policy(enable()))).isNull();
    }

    private static String policyHash(Plan plan) {
        return ((SessionPolicy.Scoped) SCOPE.policyFor(plan)).sha256();
    }

    private static Plan enable() {
        return plan(true);
    }

    private static Plan disable() {
        return plan(false);
    }

    private static Plan plan(boolean enabled) {
        return new Plan("Set the distribution's state.", List.of(new PlanStep("S1",
                new Action.SetEnabled("E2QWRUHAPOMQZL", enabled), Precondition.of("E2", Map.of("enabled",
                        String.valueOf(!enabled))), new Inverse.Undo(new Action.SetEnabled("E2QWRUHAPOMQZL", !enabled)),
                Risk.MEDIUM, new Permission("cloudfront:UpdateDistribution",
                        "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"))));
    }

    private static Alert approved(Plan plan, String policyHash) {
        Alert detected = Alert.detect("01JPLANSESSION", NOW.minusSeconds(600), java.net.URI.create("https://shop.example.com/"),
                IssueType.HTTP_ERROR, Severity.MEDIUM, "HTTP 503", Actor.system("monitor"));
        Alert pending = detected.analyze(new Analysis(Analyzer.RULES, null, "Disabled.", "analyses/a.md", null,
                "evidence/a.json", PlanJson.canonical(plan), PlanJson.hash(plan), 1, List.of(), null, null),
                Actor.system("rules"), NOW.minusSeconds(590)).after();
        return pending.approve(new Actor("erin@example.com", true, "203.0.113.7", "Mozilla/5.0"), "sub-erin",
                "engineer", "go", pending.planHash(), policyHash, NOW.minusSeconds(300)).after();
    }
}
