package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.Severity;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cognito mode: verified identities from the JWT authorizer's claims, RBAC by severity, the two-person rule, the queue. */
@ExtendWith(Emulators.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CognitoApprovalIT {


    private final Dynalite dynalite;
    private final S3Emulator s3;
    private PortalTestBed bed;

    CognitoApprovalIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeAll
    void start() {
        bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "cognito"));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    static Stream<Arguments> rbac() {
        return Stream.of(
                Arguments.of(Severity.CRITICAL, "[admin]", 200), Arguments.of(Severity.CRITICAL, "[ops-lead]", 200),
                Arguments.of(Severity.CRITICAL, "[senior-engineer]", 403), Arguments.of(Severity.CRITICAL, "[engineer]", 403),
                Arguments.of(Severity.CRITICAL, "", 403),
                Arguments.of(Severity.HIGH, "[admin]", 200), Arguments.of(Severity.HIGH, "[ops-lead]", 200),
                Arguments.of(Severity.HIGH, "[senior-engineer]", 200), Arguments.of(Severity.HIGH, "[engineer]", 403),
                Arguments.of(Severity.HIGH, "", 403),
                Arguments.of(Severity.MEDIUM, "[admin]", 200), Arguments.of(Severity.MEDIUM, "[ops-lead]", 200),
                Arguments.of(Severity.MEDIUM, "[senior-engineer]", 200), Arguments.of(Severity.MEDIUM, "[engineer]", 200),
                Arguments.of(Severity.MEDIUM, "[viewer]", 403),
                Arguments.of(Severity.LOW, "[admin]", 200), Arguments.of(Severity.LOW, "[engineer]", 200),
                Arguments.of(Severity.LOW, "[viewer]", 200), Arguments.of(Severity.LOW, "", 200),
                Arguments.of(Severity.HIGH, "[engineer senior-engineer]", 200));
    }

    @ParameterizedTest(name = "{0} by {1} -> {2}")
    @MethodSource("rbac")
    void rbacBySeverity_followsTheDesignTable(Severity severity, String groups, int expected) {
        Alert alert = bed.seed(severity, "rbac.example.com", Duration.ofMinutes(10));
        Person who = new Person("sub-" + groups.hashCode(), "pat@example.com", groups);
        PageForm form = formFor(alert, who);

        JsonNode response = decide(alert, who, form, "approve", "ok");

        assertThat(response.path("statusCode").asInt()).isEqualTo(expected);
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        if (expected == 200) {
            assertThat(stored.approvals()).singleElement().satisfies(a -> {
                assertThat(a.by()).isEqualTo("pat@example.com");
                assertThat(a.verified()).isTrue();
            });
            assertThat(stored.state()).isEqualTo(severity == Severity.CRITICAL ? AlertState.PENDING_APPROVAL
                    : AlertState.APPROVED);
        } else {
            assertThat(body(response).path("message").asText()).contains("alerts may be decided by");
            assertThat(stored.approvals()).isEmpty();
            assertThat(bed.refusals(alert.alertId())).singleElement().satisfies(e -> {
                assertThat(e.path("actor").asText()).isEqualTo("pat@example.com");
                assertThat(e.path("verified").asBoolean()).isTrue();
                assertThat(e.path("source_ip").asText()).isEqualTo("203.0.113.24");
            });
            assertThat(stored.refusedAttempts()).isEqualTo(1);
            assertThat(page(alert, who)).contains("You cannot decide this alert here").doesNotContain("decision-form");
        }
    }

    @Test
    void aCriticalAlert_needsTwoDistinctApprovers_andThePageSaysWhoIsStillNeeded() {
        Alert alert = bed.seed(Severity.CRITICAL, "core.example.com", Duration.ofMinutes(10));
        Person alice = new Person("sub-alice", "alice@example.com", "[admin]");
        Person bob = new Person("sub-bob", "bob@example.com", "[ops-lead engineer]");
        PageForm aliceForm = formFor(alert, alice);

        JsonNode first = decide(alert, alice, aliceForm, "approve", "first");
        String alicePage = page(alert, alice);
        JsonNode again = decide(alert, alice, aliceForm, "approve", "again");
        String bobPage = page(alert, bob);
        JsonNode second = decide(alert, bob, formFor(alert, bob), "approve", "second");

        assertThat(first.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(first).path("outcome").asText()).isEqualTo("partially_approved");
        assertThat(body(first).path("message").asText()).isEqualTo("Your approval is recorded. 1 more approval from a "
                + "different verified person is needed before anything runs.");
        assertThat(alicePage).contains("Approved by 1 of 2; needs 1 more from a different verified person in admin, ops-lead")
                .contains("You approved already").doesNotContain("decision-form");
        assertThat(again.path("statusCode").asInt()).isEqualTo(403);
        assertThat(bobPage).contains("decision-form", "Deciding as <strong id=\"signed-in-as\">bob@example.com");
        assertThat(second.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(second).path("outcome").asText()).isEqualTo("approved");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(stored.approvedBy()).isEqualTo("alice@example.com, bob@example.com");
        assertThat(bed.executeMessages()).filteredOn(m -> m.path("alert_id").asText().equals(alert.alertId()))
                .hasSize(1);
    }

    @Test
    void approvers_areToldApartByTheirSub_neverByEmailOrUsername() {
        Alert alert = bed.seed(Severity.CRITICAL, "core.example.com", Duration.ofMinutes(10));
        Person alice = new Person("sub-alice-renamed", "alice@example.com", "[admin]");
        Person aliceWithNewEmail = new Person(alice.sub(), "alice.smith@example.com", "[admin]");
        Person otherAccountSameEmail = new Person("sub-alice-recreated", "alice@example.com", "[ops-lead]");

        JsonNode first = decide(alert, alice, formFor(alert, alice), "approve", "first");
        JsonNode sameSub = decide(alert, aliceWithNewEmail, formFor(alert, aliceWithNewEmail), "approve", "again");
        Alert afterSameSub = bed.alerts.find(alert.alertId()).orElseThrow();
        JsonNode otherSub = decide(alert, otherAccountSameEmail, formFor(alert, otherAccountSameEmail), "approve",
                "second");

        assertThat(first.path("statusCode").asInt()).isEqualTo(200);
        assertThat(sameSub.path("statusCode").asInt()).isEqualTo(403);
        assertThat(body(sameSub).path("message").asText()).contains("already approved by alice.smith@example.com");
        assertThat(afterSameSub.approvals()).singleElement()
                .satisfies(a -> assertThat(a.subject()).isEqualTo("sub:sub-alice-renamed"));
        assertThat(otherSub.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(otherSub).path("outcome").asText()).isEqualTo("approved");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().approvals()).extracting(a -> a.subject())
                .containsExactly("sub:sub-alice-renamed", "sub:sub-alice-recreated");
    }

    @Test
    void anyTokenButThePortalsAccessToken_is401WithAReason_andCountsForNothing_evenFromSomeoneEntitled() {
        Alert alert = bed.seed(Severity.CRITICAL, "core.example.com", Duration.ofMinutes(10));
        Person alice = new Person("sub-alice-tokens", "alice", "[admin]");
        Person bob = new Person("sub-bob-tokens", "bob", "[ops-lead]");
        decide(alert, alice, formFor(alert, alice), "approve", "with the portal's token");
        PageForm bobsForm = formFor(alert, bob);

        JsonNode bobsIdToken = bed.call("post-decision-cognito-id.json", Map.of("ALERT_ID", alert.alertId(), "SUB",
                bob.sub(), "EMAIL", "bob@example.com", "GROUPS", bob.groups(), "JSON_BODY", PortalTestBed.json(
                        Map.of("csrf", bobsForm.csrf(), "plan_hash", bobsForm.planHash(), "decision", "approve"))));
        JsonNode bobsSignInToken = decideWithSignInToken(alert, bob, "bob", bobsForm);

        assertThat(bobsIdToken.path("statusCode").asInt()).isEqualTo(401);
        assertThat(body(bobsIdToken).path("message").asText()).endsWith("not an ID token");
        assertThat(bobsSignInToken.path("statusCode").asInt()).isEqualTo(401);
        assertThat(body(bobsSignInToken).path("message").asText()).endsWith("not an access token without that scope");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.approvals()).singleElement().satisfies(a -> assertThat(a.by()).isEqualTo("alice"));
        assertThat(decide(alert, bob, bobsForm, "approve", "with the portal's token").path("statusCode").asInt())
                .isEqualTo(200);
    }

    @Test
    void aRejectByAnyoneEntitled_endsACriticalAlert_afterAFirstApproval() {
        Alert alert = bed.seed(Severity.CRITICAL, "core.example.com", Duration.ofMinutes(10));
        Person alice = new Person("sub-alice", "alice@example.com", "[admin]");
        Person carol = new Person("sub-carol", "carol@example.com", "[ops-lead]");
        decide(alert, alice, formFor(alert, alice), "approve", "first");

        JsonNode rejected = decide(alert, carol, formFor(alert, carol), "reject", "wrong zone");

        assertThat(rejected.path("statusCode").asInt()).isEqualTo(200);
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.REJECTED);
        assertThat(stored.rejectionReason()).isEqualTo("wrong zone");
        assertThat(bed.executeMessages()).noneMatch(m -> m.path("alert_id").asText().equals(alert.alertId()));
    }

    @Test
    void withoutVerifiedClaims_everyRouteIs401() {
        Alert alert = bed.seed(Severity.LOW, "shop.example.com", Duration.ofMinutes(10));

        JsonNode linkOnly = bed.call("get-review.json", Map.of("ALERT_ID", alert.alertId(),
                "TOKEN", bed.token(alert.alertId())));
        JsonNode queue = bed.call("get-queue-link.json", Map.of());

        assertThat(linkOnly.path("statusCode").asInt()).isEqualTo(401);
        assertThat(queue.path("statusCode").asInt()).isEqualTo(401);
    }

    @Test
    void theQueue_listsPendingAlertsFirst_thenRecentDecisions() {
        Alert waiting = bed.seed(Severity.HIGH, "waiting.example.com", Duration.ofMinutes(1));
        Alert decided = bed.seed(Severity.LOW, "decided.example.com", Duration.ofMinutes(2));
        Person erin = new Person("sub-erin", "erin@example.com", "[engineer]");
        decide(decided, erin, formFor(decided, erin), "approve", null);

        JsonNode response = bed.call("get-queue-cognito.json", Map.of("SUB", erin.sub(), "USERNAME", erin.username(),
                "GROUPS", erin.groups()));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        String html = response.path("body").asText();
        int pending = html.indexOf("id=\"pending\"");
        int recent = html.indexOf("id=\"recent\"");
        assertThat(html.indexOf("alerts/" + waiting.alertId())).isBetween(pending, recent);
        assertThat(html.indexOf("alerts/" + decided.alertId())).isGreaterThan(recent);
        assertThat(html).contains("Signed in as erin@example.com", "erin@example.com");
    }

    record Person(String sub, String username, String groups) {
    }

    private String page(Alert alert, Person who) {
        return bed.call("get-review-cognito.json", Map.of("ALERT_ID", alert.alertId(), "SUB", who.sub(),
                "USERNAME", who.username(), "GROUPS", who.groups())).path("body").asText();
    }

    /** The decision form's hidden fields as the person's page carries them. */
    record PageForm(String csrf, String planHash) {
    }

    private PageForm formFor(Alert alert, Person who) {
        String html = page(alert, who);
        java.util.Optional<String> csrf = PortalTestBed.formField(html, "csrf");
        java.util.Optional<String> plan = PortalTestBed.formField(html, "plan_hash");
        if (csrf.isPresent() && plan.isPresent()) {
            return new PageForm(csrf.get(), plan.get());
        }
        // No form for this person; the fields such a page would carry, to prove the policy (not CSRF) refuses.
        return new PageForm(new dev.cloudops.approval.auth.CsrfTokens(bed.tokens, Duration.ofHours(1)).issue(
                alert.alertId(), new dev.cloudops.approval.auth.Viewer(java.util.Optional.of(new Identity(who.username(),
                        "sub:" + who.sub(), true, java.util.Set.of(), null, null)), "sub:" + who.sub(),
                        java.util.Optional.empty())), alert.planHash());
    }

    private JsonNode decide(Alert alert, Person who, PageForm form, String decision, String comment) {
        Map<String, String> fields = new java.util.HashMap<>(Map.of("csrf", form.csrf(), "plan_hash", form.planHash(),
                "decision", decision));
        if (comment != null) {
            fields.put("comment", comment);
        }
        return bed.call("post-decision-cognito.json", Map.of("ALERT_ID", alert.alertId(), "SUB", who.sub(),
                "USERNAME", who.username(), "GROUPS", who.groups(), "JSON_BODY", PortalTestBed.json(fields)));
    }

    /** A decision sent with the access token of a plain SDK sign-in (scope aws.cognito.signin.user.admin only). */
    private JsonNode decideWithSignInToken(Alert alert, Person who, String username, PageForm form) {
        return bed.call("post-decision-cognito-access.json", Map.of("ALERT_ID", alert.alertId(), "SUB", who.sub(),
                "USERNAME", username, "GROUPS", who.groups(), "JSON_BODY", PortalTestBed.json(Map.of("csrf",
                        form.csrf(), "plan_hash", form.planHash(), "decision", "approve"))));
    }

    private static JsonNode body(JsonNode response) {
        return PortalTestBed.parse(response.path("body").asText());
    }
}
