package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cloudops.alert.IssueType;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.auth.Viewer;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The learned runbooks on the portal, through the real handler on dynalite: the list for signed-in people, a
 * promotion and setting a runbook's auto-approval, which only a verified person in a role that may approve critical
 * alerts makes, on the version their page showed, from the portal's own page, with an audit event either way. A
 * refused decision changes nothing; a plan with a step that cannot be undone never approves by itself.
 */
@ExtendWith(Emulators.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunbookRoutesIT {

    private static final Person ADMIN = new Person("sub-admin-1", "alice@example.com", "[admin]");
    private static final Person ENGINEER = new Person("sub-engineer-1", "eve@example.com", "[engineer senior-engineer]");
    private static final Instant LEARNED = Instant.parse("2026-12-01T10:00:00Z");

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private RunbookStore store;
    private PortalTestBed cognito;
    private PortalTestBed link;

    RunbookRoutesIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeAll
    void start() {
        String control = dynalite.createControlTable();
        store = new DynamoDbRunbookStore(dynalite.client(), control);
        cognito = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "cognito", "CONTROL_TABLE", control));
        link = new PortalTestBed(dynalite, s3, Map.of("CONTROL_TABLE", control));
    }

    @AfterAll
    void stop() {
        cognito.close();
        link.close();
    }

    @Test
    void theList_showsCandidatesEscaped_withTheirPromoteForm_andLinksToTheTeachingAlert() {
        Runbook candidate = learned("<script>alert(1)</script>");

        JsonNode response = list(ADMIN);
        String html = response.path("body").asText();

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(html).contains(candidate.id(), "HTTP_ERROR", "CANDIDATE", "<details>",
                "&lt;script&gt;alert(1)&lt;/script&gt;", "href=\"alerts/" + candidate.taughtBy() + "\"",
                "action=\"runbooks/" + candidate.id() + "/promote\"",
                "name=\"version\" value=\"" + candidate.version() + "\"")
                .doesNotContain("<script>alert(1)</script>");
        assertThat(csrf(html, candidate.id())).isNotBlank();
    }

    @Test
    void theList_asJson_givesEachCandidateWithItsVersionAndCsrfToken() {
        Runbook candidate = learned("listed as JSON");

        JsonNode response = cognito.callWithHeaders("get-runbooks-cognito.json", Map.of("SUB", ADMIN.sub(),
                "USERNAME", ADMIN.username(), "GROUPS", ADMIN.groups()), Map.of("accept", "application/json"));
        JsonNode body = PortalTestBed.parse(response.path("body").asText());

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode n : body.path("candidates")) {
            listed = n.path("id").asText().equals(candidate.id()) ? n : listed;
        }
        assertThat(listed).as("the candidate is listed").isNotNull();
        assertThat(listed.path("status").asText()).isEqualTo("CANDIDATE");
        assertThat(listed.path("version").asLong()).isEqualTo(candidate.version());
        assertThat(listed.path("taught_by").asText()).isEqualTo(candidate.taughtBy());
        assertThat(listed.path("plan_template").asText()).contains("listed as JSON");
        assertThat(listed.path("csrf").asText()).isNotBlank();
        assertThat(body.path("active").isArray()).isTrue();
    }

    @Test
    void aVerifiedAdmin_promotesACandidate_whichIsThenActive_withWhoPromotedIt_andAnAuditEvent() {
        Runbook candidate = learned("admin promotes");
        String csrf = csrf(list(ADMIN).path("body").asText(), candidate.id());

        JsonNode response = promote(ADMIN, candidate.id(), "csrf", csrf, "version", Long.toString(candidate.version()));

        assertThat(response.path("statusCode").asInt()).as(response.path("body").asText()).isEqualTo(200);
        Runbook stored = store.find(candidate.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(stored.promotedBy()).isEqualTo(ADMIN.username());
        assertThat(stored.promotedAt()).isNotNull();
        assertThat(stored.version()).isEqualTo(candidate.version() + 1);
        assertThat(stored.verifiedSuccesses()).isEqualTo(candidate.verifiedSuccesses());
        assertThat(cognito.auditLines(candidate.id())).singleElement().satisfies(line -> {
            assertThat(line.path("action").asText()).isEqualTo("RUNBOOK_PROMOTED");
            assertThat(line.path("actor").asText()).isEqualTo(ADMIN.username());
            assertThat(line.path("verified").asBoolean()).isTrue();
            assertThat(line.path("result").asText()).isEqualTo("promoted");
            assertThat(line.path("detail").asText()).contains(candidate.id(), "as admin");
        });
        assertThat(list(ADMIN).path("body").asText()).as("now listed as active, without a promote form")
                .contains(candidate.id(), "ACTIVE").doesNotContain("runbooks/" + candidate.id() + "/promote");

        JsonNode again = promote(ADMIN, candidate.id(), "csrf", csrf, "version", Long.toString(stored.version()));
        assertThat(again.path("statusCode").asInt()).isEqualTo(409);
        assertThat(again.path("body").asText()).contains("already active");
        assertThat(store.find(candidate.id())).contains(stored);
    }

    @Test
    void aVerifiedPersonWithoutACriticalRole_isRefused_andNothingChanges() {
        Runbook candidate = learned("engineer tries");
        String csrf = csrf(list(ENGINEER).path("body").asText(), candidate.id());

        JsonNode response = promote(ENGINEER, candidate.id(), "csrf", csrf, "version",
                Long.toString(candidate.version()));

        assertThat(response.path("statusCode").asInt()).isEqualTo(403);
        assertThat(response.path("body").asText()).contains("critical alerts may be decided by admin, ops-lead");
        assertThat(store.find(candidate.id())).contains(candidate);
        assertThat(cognito.auditLines(candidate.id())).singleElement().satisfies(line -> {
            assertThat(line.path("action").asText()).isEqualTo("RUNBOOK_PROMOTION_REFUSED");
            assertThat(line.path("actor").asText()).isEqualTo(ENGINEER.username());
            assertThat(line.path("result").asText()).isEqualTo("refused 403");
            assertThat(line.path("detail").asText()).startsWith("as authenticated: ");
        });
    }

    @Test
    void aLinkHolder_cannotPromote_norSeeTheList() {
        Runbook candidate = learned("link holder tries");

        JsonNode response = link.call("post-promote-cognito.json", vars(ADMIN, candidate.id(),
                PortalTestBed.form("csrf", "anything", "version", Long.toString(candidate.version()))));
        JsonNode listing = link.call("get-runbooks-cognito.json", Map.of("SUB", ADMIN.sub(),
                "USERNAME", ADMIN.username(), "GROUPS", ADMIN.groups()));

        assertThat(response.path("statusCode").asInt()).isEqualTo(403);
        assertThat(response.path("body").asText()).contains("needs a verified, signed-in identity");
        assertThat(listing.path("statusCode").asInt()).isEqualTo(401);
        assertThat(store.find(candidate.id())).contains(candidate);
        assertThat(link.auditLines(candidate.id())).singleElement()
                .satisfies(line -> assertThat(line.path("action").asText()).isEqualTo("RUNBOOK_PROMOTION_REFUSED"));
    }

    @Test
    void aStaleVersion_isRefusedWith409_andNothingChanges() {
        Runbook candidate = learned("stale page");
        String csrf = csrf(list(ADMIN).path("body").asText(), candidate.id());
        Runbook counted = store.learned(candidate, LEARNED.plusSeconds(60)); // another verified success meanwhile

        JsonNode response = promote(ADMIN, candidate.id(), "csrf", csrf, "version", Long.toString(candidate.version()));

        assertThat(response.path("statusCode").asInt()).isEqualTo(409);
        assertThat(response.path("body").asText()).contains("changed since your page showed it");
        assertThat(store.find(candidate.id())).contains(counted);
    }

    @Test
    void withoutACsrfToken_orWithAnotherRunbooksToken_theAttemptIsRefused() {
        Runbook candidate = learned("csrf missing");
        Runbook other = learned("csrf of another runbook");
        String othersToken = csrf(list(ADMIN).path("body").asText(), other.id());
        String version = Long.toString(candidate.version());

        JsonNode missing = promote(ADMIN, candidate.id(), "version", version);
        JsonNode foreign = promote(ADMIN, candidate.id(), "csrf", othersToken, "version", version);

        assertThat(missing.path("statusCode").asInt()).isEqualTo(403);
        assertThat(missing.path("body").asText()).contains("CSRF token is missing");
        assertThat(foreign.path("statusCode").asInt()).isEqualTo(403);
        assertThat(foreign.path("body").asText()).contains("CSRF token is not valid");
        assertThat(store.find(candidate.id())).contains(candidate);
    }

    @Test
    void aPostFromAnotherSite_isRefused_evenWithValidTokens() {
        Runbook candidate = learned("cross-site");
        String csrf = csrf(list(ADMIN).path("body").asText(), candidate.id());

        JsonNode response = cognito.callWithHeaders("post-promote-cognito.json", vars(ADMIN, candidate.id(),
                PortalTestBed.form("csrf", csrf, "version", Long.toString(candidate.version()))),
                Map.of("origin", "https://evil.example", "sec-fetch-site", "cross-site"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(403);
        assertThat(response.path("body").asText()).contains("cross-site request refused");
        assertThat(store.find(candidate.id())).contains(candidate);
        assertThat(cognito.auditLines(candidate.id())).singleElement()
                .satisfies(line -> assertThat(line.path("actor").asText()).isEqualTo("unauthenticated request"));
    }

    @Test
    void malformedRequests_are400_andAnUnknownRunbookIs404() {
        Runbook candidate = learned("malformed");
        String csrf = csrf(list(ADMIN).path("body").asText(), candidate.id());
        String unknown = "rb-" + "0".repeat(32);
        String unknownsToken = new CsrfTokens(cognito.tokens, Duration.ofHours(1)).issue(unknown,
                new Viewer(Optional.empty(), "sub:" + ADMIN.sub(), Optional.empty()));

        JsonNode badVersion = promote(ADMIN, candidate.id(), "csrf", csrf, "version", "one");
        JsonNode badId = cognito.call("post-promote-cognito.json", vars(ADMIN, "not-a-runbook",
                PortalTestBed.form("csrf", csrf, "version", "1")));
        JsonNode notFound = promote(ADMIN, unknown, "csrf", unknownsToken, "version", "1");

        assertThat(badVersion.path("statusCode").asInt()).isEqualTo(400);
        assertThat(badId.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notFound.path("statusCode").asInt()).isEqualTo(404);
        assertThat(notFound.path("body").asText()).contains("there is no runbook " + unknown);
        assertThat(store.find(candidate.id())).contains(candidate);
        assertThat(store.find(unknown)).isEmpty();
    }

    @Test
    void gettingTheList_changesNothing() {
        Runbook candidate = learned("only read");
        List<Runbook> before = store.list(Runbook.Status.CANDIDATE, 1000);

        list(ADMIN);
        list(ENGINEER);

        assertThat(store.list(Runbook.Status.CANDIDATE, 1000)).isEqualTo(before).contains(candidate);
        assertThat(cognito.auditLines(candidate.id())).isEmpty();
    }

    @Test
    void aVerifiedAdmin_setsARunbooksAutoApproval_onTheVersionShown_withAnAuditEvent_andCanTurnItOff() {
        Runbook active = store.replace(learned("auto-approved").promoted("pat@example.com", LEARNED)).orElseThrow();
        String csrf = autoApprovalCsrf(list(ADMIN).path("body").asText(), active.id());

        JsonNode set = autoApproval(ADMIN, active.id(), "csrf", csrf, "version", Long.toString(active.version()),
                "after", "3");

        assertThat(set.path("statusCode").asInt()).as(set.path("body").asText()).isEqualTo(200);
        assertThat(set.path("body").asText()).contains("approves its plan for low alerts by itself once it has 3 "
                + "verified successes (it has 1)");
        Runbook stored = store.find(active.id()).orElseThrow();
        assertThat(stored.autoApproveAfter()).isEqualTo(3);
        assertThat(stored.autoApprovalBy()).isEqualTo(ADMIN.username());
        assertThat(stored.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(stored.version()).isEqualTo(active.version() + 1);
        assertThat(cognito.auditLines(active.id())).singleElement().satisfies(line -> {
            assertThat(line.path("action").asText()).isEqualTo("RUNBOOK_AUTO_APPROVAL_SET");
            assertThat(line.path("actor").asText()).isEqualTo(ADMIN.username());
            assertThat(line.path("result").asText()).isEqualTo("low alerts from 3 verified successes");
            assertThat(line.path("detail").asText()).contains("from 0 to 3", "as admin");
        });
        assertThat(list(ADMIN).path("body").asText())
                .contains("low alerts from 3 verified successes (set by " + ADMIN.username() + ")");

        JsonNode same = autoApproval(ADMIN, active.id(), "csrf", csrf, "version", Long.toString(stored.version()),
                "after", "3");
        assertThat(same.path("statusCode").asInt()).isEqualTo(409);
        assertThat(same.path("body").asText()).contains("from 3 verified successes already; nothing changed");

        JsonNode off = autoApproval(ADMIN, active.id(), "csrf", csrf, "version", Long.toString(stored.version()),
                "after", "0");
        assertThat(off.path("statusCode").asInt()).isEqualTo(200);
        assertThat(store.find(active.id()).orElseThrow().autoApproveAfter()).isZero();
    }

    @Test
    void settingAutoApproval_isRefusedToAnEngineer_aLinkHolder_andOnAStalePage_changingNothing() {
        Runbook candidate = learned("auto-approval refused");
        String csrf = autoApprovalCsrf(list(ENGINEER).path("body").asText(), candidate.id());
        String version = Long.toString(candidate.version());

        JsonNode engineer = autoApproval(ENGINEER, candidate.id(), "csrf", csrf, "version", version, "after", "2");
        JsonNode linkHolder = link.call("post-auto-approval-cognito.json", vars(ADMIN, candidate.id(),
                PortalTestBed.form("csrf", "anything", "version", version, "after", "2")));
        String adminCsrf = autoApprovalCsrf(list(ADMIN).path("body").asText(), candidate.id());
        Runbook counted = store.learned(candidate, LEARNED.plusSeconds(60));
        JsonNode stale = autoApproval(ADMIN, candidate.id(), "csrf", adminCsrf, "version", version, "after", "2");

        assertThat(engineer.path("statusCode").asInt()).isEqualTo(403);
        assertThat(engineer.path("body").asText()).contains("critical alerts may be decided by admin, ops-lead");
        assertThat(linkHolder.path("statusCode").asInt()).isEqualTo(403);
        assertThat(linkHolder.path("body").asText()).contains("needs a verified, signed-in identity");
        assertThat(stale.path("statusCode").asInt()).isEqualTo(409);
        assertThat(stale.path("body").asText()).contains("changed since your page showed it");
        assertThat(store.find(candidate.id())).contains(counted);
        assertThat(cognito.auditLines(candidate.id())).hasSize(2).allSatisfy(line -> assertThat(
                line.path("action").asText()).isEqualTo("RUNBOOK_AUTO_APPROVAL_REFUSED"));
        assertThat(link.auditLines(candidate.id())).singleElement().satisfies(line -> assertThat(
                line.path("action").asText()).isEqualTo("RUNBOOK_AUTO_APPROVAL_REFUSED"));
    }

    @Test
    void aPlanWithAStepThatCannotBeUndone_neverApprovesByItself_andBadNumbersAre400() {
        RunbookTemplate oneWay = new RunbookTemplate(IssueType.CERT_EXPIRING, "{\"summary\":\"one way " + UUID.randomUUID()
                + "\",\"steps\":[{\"id\":\"S1\",\"inverse\":{\"irreversible\":\"a requested certificate is left\"}}]}",
                List.of(), List.of());
        Runbook irreversible = store.learned(Runbook.candidate(oneWay, "01JALERTONEWAY", LEARNED), LEARNED);
        Runbook candidate = learned("bad numbers");
        String page = list(ADMIN).path("body").asText();
        String csrf = autoApprovalCsrf(page, candidate.id());
        String version = Long.toString(candidate.version());
        String irreversibleCsrf = new CsrfTokens(cognito.tokens, Duration.ofHours(1)).issue(irreversible.id(),
                new Viewer(Optional.empty(), "sub:" + ADMIN.sub(), Optional.empty()));

        JsonNode never = autoApproval(ADMIN, irreversible.id(), "csrf", irreversibleCsrf, "version",
                Long.toString(irreversible.version()), "after", "1");
        List<Integer> statuses = java.util.stream.Stream.of("-1", "x", "1001", "").map(after -> autoApproval(ADMIN,
                candidate.id(), "csrf", csrf, "version", version, "after", after).path("statusCode").asInt()).toList();
        JsonNode missing = autoApproval(ADMIN, candidate.id(), "csrf", csrf, "version", version);

        assertThat(autoApprovalCsrf(page, irreversible.id())).as("no auto-approval form for it").isNull();
        assertThat(page).contains("never: step S1 (a requested certificate is left) cannot be undone");
        assertThat(never.path("statusCode").asInt()).isEqualTo(409);
        assertThat(never.path("body").asText()).contains("never approves by itself: step S1");
        assertThat(statuses).containsOnly(400);
        assertThat(missing.path("statusCode").asInt()).isEqualTo(400);
        assertThat(store.find(irreversible.id())).contains(irreversible);
        assertThat(store.find(candidate.id())).contains(candidate);
    }

    /** A candidate stored as a verified execution stores it: its plan holds {@code text}, so each test has its own. */
    private Runbook learned(String text) {
        RunbookTemplate template = new RunbookTemplate(IssueType.HTTP_ERROR,
                "{\"summary\":" + TextNode.valueOf(text)
                        + ",\"distribution\":\"{{p1}}\",\"nonce\":\"" + UUID.randomUUID() + "\"}",
                List.of(new RunbookTemplate.Parameter("p1",
                        new RunbookTemplate.Source("cloudfront:GetDistribution", 0, "/data/id"), false)),
                List.of());
        return store.learned(Runbook.candidate(template, "01JALERT" + UUID.randomUUID().toString().substring(0, 8),
                LEARNED), LEARNED);
    }

    private JsonNode list(Person who) {
        return cognito.call("get-runbooks-cognito.json", Map.of("SUB", who.sub(), "USERNAME", who.username(),
                "GROUPS", who.groups()));
    }

    private JsonNode promote(Person who, String runbookId, String... formPairs) {
        return cognito.call("post-promote-cognito.json", vars(who, runbookId, PortalTestBed.form(formPairs)));
    }

    private JsonNode autoApproval(Person who, String runbookId, String... formPairs) {
        return cognito.call("post-auto-approval-cognito.json", vars(who, runbookId, PortalTestBed.form(formPairs)));
    }

    private static Map<String, String> vars(Person who, String runbookId, String formBody) {
        Map<String, String> vars = new HashMap<>();
        vars.put("RUNBOOK_ID", runbookId);
        vars.put("SUB", who.sub());
        vars.put("USERNAME", who.username());
        vars.put("GROUPS", who.groups());
        vars.put("FORM_BASE64", java.util.Base64.getEncoder().encodeToString(formBody.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        vars.put("CONTENT_LENGTH", String.valueOf(formBody.length()));
        return vars;
    }

    /** The CSRF token of {@code runbookId}'s promote form on the runbooks page, or null when it has none. */
    private static String csrf(String html, String runbookId) {
        return formCsrf(html, runbookId, "promote");
    }

    /** The CSRF token of {@code runbookId}'s auto-approval form on the runbooks page, or null when it has none. */
    private static String autoApprovalCsrf(String html, String runbookId) {
        return formCsrf(html, runbookId, "auto-approval");
    }

    private static String formCsrf(String html, String runbookId, String form) {
        Matcher m = Pattern.compile("action=\"runbooks/" + Pattern.quote(runbookId) + "/" + form
                + "\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    record Person(String sub, String username, String groups) {
    }
}
