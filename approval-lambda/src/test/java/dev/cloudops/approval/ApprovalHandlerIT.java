package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.Severity;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The approval function in link mode with an executor role (so approving grants a plan-scoped session), driven by
 * real HTTP API 2.0 events against the emulators.
 */
@ExtendWith(Emulators.class)
class ApprovalHandlerIT {


    private final Dynalite dynalite;
    private final S3Emulator s3;
    private PortalTestBed bed;

    ApprovalHandlerIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "link", SessionScope.VARIABLE,
                PortalTestBed.EXECUTOR_ROLE));
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void reviewPage_showsAnalysisPlanEvidenceAndHistory_withStrictHeaders_andChangesNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));

        JsonNode response = get(alert, bed.token(alert.alertId()));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode headers = response.path("headers");
        assertThat(headers.path("Content-Security-Policy").asText()).isEqualTo(Pages.CONTENT_SECURITY_POLICY)
                .startsWith("default-src 'none'; style-src 'sha256-").contains("frame-ancestors 'none'")
                .doesNotContain("script-src", "unsafe");
        assertThat(headers.path("X-Frame-Options").asText()).isEqualTo("DENY");
        assertThat(headers.path("Cache-Control").asText()).isEqualTo("no-store");
        assertThat(headers.path("Referrer-Policy").asText()).isEqualTo("no-referrer");
        String html = response.path("body").asText();
        assertThat(html).contains("shop.example.com", alert.alertId(), "sev-medium")
                .contains("<h2>Executive Summary</h2>", "<strong>shop.example.com</strong>", "<td>NXDOMAIN</td>")
                .contains("<table id=\"plan-table\">", "<code>route53.upsert_record</code>",
                        "shop.example.com A in hosted zone " + PortalTestBed.ZONE, "record = absent",
                        "yes: undone by route53.delete_record", "no: an invalidation only empties caches")
                .contains("<table id=\"evidence-table\">", "route53:ListResourceRecordSets", "no A record named")
                .contains("<table id=\"history-table\">", "DETECTED", "ANALYZED")
                .contains("name=\"approver\"", "name=\"t\" value=\"", "id=\"approve\"", "id=\"reject\"")
                .contains("<h3>What approving grants</h3>", "assume the role <code id=\"executor-role\">cloudops-executor"
                        + "</code>", "<code id=\"policy-hash\">" + PortalTestBed.sessionPolicy("shop.example.com").sha256())
                .contains("id=\"report-link\"", alert.alertId() + "/report?t=")
                // Times as people read them, the deadline a day (DECISION_WINDOW's default) after detection.
                .contains("(1 occurrence)",
                        "Decide by " + Pages.time(alert.timestamp().plus(Duration.ofHours(24))) + ".");
        assertThat(csrf(html)).isNotBlank();
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(stored.audit()).isEqualTo(alert.audit());
    }

    @Test
    void approvingThroughTheForm_recordsTheTypedName_publishesOnce_andNotifies() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();

        JsonNode response = postForm(alert, form("csrf", csrf(page), "t", token, "plan_hash", planHash(page),
                "policy_hash", policyHash(page), "decision", "approve", "approver", "Lee Ops", "comment", "restore it"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("body").asText()).contains("Approved. Execution of the plan has been started.");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
        assertThat(stored.approvals()).singleElement().satisfies(a -> {
            assertThat(a.by()).isEqualTo("Lee Ops");
            assertThat(a.verified()).isFalse();
            assertThat(a.comment()).isEqualTo("restore it");
            assertThat(a.policyHash()).isEqualTo(PortalTestBed.sessionPolicy("shop.example.com").sha256());
        });
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.APPROVED).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("Lee Ops");
                    assertThat(e.sourceIp()).isEqualTo("203.0.113.24");
                    assertThat(e.userAgent()).contains("Chrome/131");
                });
        assertThat(bed.executeMessages()).singleElement().satisfies(m -> {
            assertThat(m.path("alert_id").asText()).isEqualTo(alert.alertId());
            assertThat(m.path("plan_hash").asText()).isEqualTo(alert.planHash());
        });
        assertThat(bed.teamsPosts()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("Plan approved for DNS_FAILURE on shop.example.com", "Lee Ops"));
    }

    @Test
    void rejectingAsJson_storesTheReason_andTriggersNothing() {
        Alert alert = bed.seed(Severity.LOW, "blog.example.com", Duration.ofMinutes(3));
        String token = bed.token(alert.alertId());
        String csrf = csrf(get(alert, token).path("body").asText());

        JsonNode response = postJson(alert, Map.of("csrf", csrf, "t", token, "decision", "reject",
                "approver", "Kim", "comment", "the record was removed on purpose"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode body = PortalTestBed.parse(response.path("body").asText());
        assertThat(body.path("outcome").asText()).isEqualTo("rejected");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.REJECTED);
        assertThat(stored.rejectionReason()).isEqualTo("the record was removed on purpose");
        assertThat(bed.executeMessages()).isEmpty();
        assertThat(bed.teamsPosts()).singleElement().satisfies(p -> assertThat(p.toString()).contains("Plan rejected"));
    }

    @Test
    void aSecondDecision_is409_andSaysWhoDecided() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        String csrf = csrf(page);
        postForm(alert, form("csrf", csrf, "t", token, "plan_hash", planHash(page), "policy_hash", policyHash(page),
                "decision", "approve", "approver", "Lee"));

        JsonNode second = postForm(alert, form("csrf", csrf, "t", token, "decision", "reject", "approver", "Sam"));

        assertThat(second.path("statusCode").asInt()).isEqualTo(409);
        assertThat(second.path("body").asText()).contains("already decided: approved by Lee");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
        assertThat(bed.executeMessages()).hasSize(1);
        assertThat(get(alert, token).path("body").asText()).doesNotContain("id=\"decision-form\"");
    }

    @Test
    void anAlertPastTheDecisionWindow_is410_becomesExpired_andPeopleAreTold() {
        Alert alert = bed.seed(Severity.MEDIUM, "old.example.com", Duration.ofHours(25));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        assertThat(page).contains("The decision window closed at "
                        + Pages.time(alert.timestamp().plus(Duration.ofHours(24))) + ";")
                .doesNotContain("id=\"decision-form\"");
        String csrf = csrfFor(alert, token);

        JsonNode response = postForm(alert, form("csrf", csrf, "t", token, "plan_hash", alert.planHash(),
                "decision", "approve", "approver", "Lee"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(410);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.EXPIRED);
        assertThat(bed.executeMessages()).isEmpty();
        assertThat(bed.teamsPosts()).singleElement().satisfies(p -> assertThat(p.toString()).contains("Expired"));
    }

    @Test
    void anUnknownAlert_is404_toReadAndToDecide_evenWithValidTokens() {
        String id = "01JNOSUCHALERT0000000000AB";
        String token = bed.token(id);

        String csrf = new dev.cloudops.approval.auth.CsrfTokens(bed.tokens, Duration.ofHours(1)).issue(id,
                new dev.cloudops.approval.auth.Viewer(java.util.Optional.empty(), "link:" + token,
                        java.util.Optional.of(token)));

        JsonNode page = bed.getReview(id, token);
        JsonNode post = bed.postForm(id, form("csrf", csrf, "t", token, "plan_hash", "a".repeat(64), "decision",
                "approve", "approver", "Lee"));

        assertThat(page.path("statusCode").asInt()).isEqualTo(404);
        assertThat(page.path("body").asText()).contains("there is no alert " + id);
        assertThat(post.path("statusCode").asInt()).isEqualTo(404);
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void badTokens_are401_onEveryRoute_changeNothing_andRefusedDecisionsAreAudited() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        Alert other = bed.seed(Severity.MEDIUM, "other.example.com", Duration.ofMinutes(10));
        String good = bed.token(alert.alertId());
        String csrf = csrf(get(alert, good).path("body").asText());
        String tampered = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
        String forOther = bed.token(other.alertId());

        for (String bad : new String[] {tampered, forOther, "", "not-a-token"}) {
            assertThat(get(alert, bad).path("statusCode").asInt()).as("GET with %s", bad).isEqualTo(401);
            assertThat(bed.call("get-report.json", Map.of("ALERT_ID", alert.alertId(), "TOKEN", bad))
                    .path("statusCode").asInt()).isEqualTo(401);
            JsonNode post = postForm(alert, form("csrf", csrf, "t", bad, "decision", "approve", "approver", "Eve"));
            assertThat(post.path("statusCode").asInt()).as("POST with %s", bad).isEqualTo(401);
        }

        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.approvals()).isEmpty();
        assertThat(bed.refusals(alert.alertId())).hasSize(4).allSatisfy(e -> {
            assertThat(e.path("result").asText()).isEqualTo("refused 401");
            assertThat(e.path("source_ip").asText()).isEqualTo("203.0.113.24");
            assertThat(e.path("user_agent").asText()).contains("Mozilla/5.0");
        });
        assertThat(bed.refusals(alert.alertId()).getFirst().path("detail").asText()).contains("bad signature");
        assertThat(stored.audit()).as("refusals are counted on the alert, not kept there")
                .noneMatch(e -> e.action() == AuditAction.DECISION_REFUSED);
        assertThat(stored.refusedAttempts()).as("noted at most once in 10 s").isEqualTo(1);
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void aMissingOrForeignCsrfToken_is403_andAudited() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        Alert other = bed.seed(Severity.MEDIUM, "other.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String otherCsrf = csrf(get(other, bed.token(other.alertId())).path("body").asText());

        JsonNode missing = postForm(alert, form("t", token, "decision", "approve", "approver", "Eve"));
        JsonNode foreign = postForm(alert, form("csrf", otherCsrf, "t", token, "decision", "approve", "approver", "Eve"));
        JsonNode forged = postForm(alert, form("csrf", "djF8Y3NyZnwwMXww.AAAA", "t", token, "decision", "approve",
                "approver", "Eve"));

        assertThat(missing.path("statusCode").asInt()).isEqualTo(403);
        assertThat(missing.path("body").asText()).contains("CSRF token is missing");
        assertThat(foreign.path("statusCode").asInt()).isEqualTo(403);
        assertThat(forged.path("statusCode").asInt()).isEqualTo(403);
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(bed.refusals(alert.alertId())).hasSize(3)
                .allSatisfy(e -> assertThat(e.path("result").asText()).isEqualTo("refused 403"));
    }

    @Test
    void aDecisionWithValidTokens_sentFromAnotherSite_is403_auditedAndChangesNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        String body = form("csrf", csrf(page), "t", token, "plan_hash", planHash(page), "policy_hash",
                policyHash(page), "decision", "approve", "approver", "Eve");
        Map<String, String> vars = PortalTestBed.formEvent(alert.alertId(), body);
        java.util.HashMap<String, String> evilOrigin = new java.util.HashMap<>();
        evilOrigin.put("origin", "https://evil.example");
        evilOrigin.put("sec-fetch-site", "cross-site");
        java.util.HashMap<String, String> sandboxed = new java.util.HashMap<>();
        sandboxed.put("origin", "null");
        sandboxed.put("sec-fetch-site", "cross-site");
        java.util.HashMap<String, String> oldBrowser = new java.util.HashMap<>();
        oldBrowser.put("origin", null);
        oldBrowser.put("sec-fetch-site", null);
        oldBrowser.put("referer", "https://evil.example/page");

        List<JsonNode> refused = List.of(evilOrigin, sandboxed, oldBrowser).stream()
                .map(h -> bed.callWithHeaders("post-decision-form.json", vars, h)).toList();

        assertThat(refused).allSatisfy(r -> assertThat(r.path("statusCode").asInt()).isEqualTo(403));
        assertThat(refused.get(0).path("body").asText())
                .contains("cross-site request refused: Origin https://evil.example is not this portal");
        assertThat(refused.get(1).path("body").asText()).contains("Sec-Fetch-Site is cross-site");
        assertThat(refused.get(2).path("body").asText()).contains("Referer https://evil.example/page");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(bed.refusals(alert.alertId())).hasSize(3)
                .allSatisfy(e -> assertThat(e.path("result").asText()).isEqualTo("refused 403"));
        assertThat(bed.executeMessages()).isEmpty();

        java.util.HashMap<String, String> ownForm = new java.util.HashMap<>();
        ownForm.put("origin", "null");
        ownForm.put("sec-fetch-site", "same-origin");
        JsonNode approved = bed.callWithHeaders("post-decision-form.json", vars, ownForm);

        assertThat(approved.path("statusCode").asInt()).as("our own page's form: Origin null (no-referrer), "
                + "same-origin").isEqualTo(200);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.APPROVED);
    }

    @Test
    void aCsrfTokenFromAnotherLink_toTheSameAlert_isRefused() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String mine = bed.token(alert.alertId());
        String theirs = bed.tokens.issue(alert.alertId(), dev.cloudops.review.ReviewToken.REVIEW, Duration.ofHours(2));
        String theirCsrf = csrfFor(alert, theirs);

        JsonNode response = postForm(alert, form("csrf", theirCsrf, "t", mine, "decision", "approve", "approver", "Eve"));

        assertThat(mine).isNotEqualTo(theirs);
        assertThat(response.path("statusCode").asInt()).isEqualTo(403);
    }

    @Test
    void aLinkHolder_mayNotDecideAHighAlert_theFormSaysSo_andAPostIs403() {
        Alert alert = bed.seed(Severity.HIGH, "api.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());

        String page = get(alert, token).path("body").asText();
        JsonNode post = postForm(alert, form("csrf", "x", "t", token, "decision", "approve", "approver", "Lee"));

        assertThat(page).contains("high alerts need a signed-in, verified identity").doesNotContain("decision-form");
        assertThat(post.path("statusCode").asInt()).isEqualTo(403);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.PENDING_APPROVAL);
    }

    @Test
    void aLinkHolderWithAValidForm_isStillForbiddenForHighAlerts_andAudited() {
        Alert alert = bed.seed(Severity.HIGH, "api.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String csrf = csrfFor(alert, token);

        JsonNode post = postForm(alert, form("csrf", csrf, "t", token, "plan_hash", alert.planHash(),
                "decision", "approve", "approver", "Lee"));

        assertThat(post.path("statusCode").asInt()).isEqualTo(403);
        assertThat(post.path("body").asText()).contains("high alerts need a signed-in, verified identity");
        assertThat(bed.refusals(alert.alertId())).singleElement()
                .satisfies(e -> assertThat(e.path("actor").asText()).isEqualTo("Lee"));
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().refusedAttempts()).isEqualTo(1);
    }

    @Test
    void malformedRequests_are4xxWithAReason_andChangeNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String csrf = csrfFor(alert, token);
        String plan = alert.planHash();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(form("csrf", csrf, "t", token, "decision", "maybe", "approver", "Lee"), "decision must be 'approve' or 'reject'");
        cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "decision", "approve"), "approver: type your name");
        cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "decision", "approve", "approver", "Lee\u0007"),
                "approver contains a control character");
        cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "decision", "approve", "approver", "Lee",
                "comment", "x".repeat(2001)), "comment is longer than 2000 characters");
        cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "decision", "approve", "approver", "Lee",
                "approver", "Eve"), "gives 'approver' more than once");
        cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "decision", "approve", "approver", "Lee")
                + "&comment=%ZZ", "invalid percent-encoding");
        cases.put(form("csrf", csrf, "t", token, "decision", "approve", "approver", "Lee"),
                "plan_hash is missing: an approval names the plan it approves; reload the review page");
        for (String disguise : new String[] {"\u202E", "\u2066", "\u2069", "\u200E", "\u200F", "\u200B", "\uFEFF"}) {
            cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "decision", "approve", "approver",
                    "Lee" + disguise + "nimdA"), "approver contains an invisible formatting character");
        }
        for (String malformed : new String[] {plan.toUpperCase(java.util.Locale.ROOT), plan.substring(1), "", "x"}) {
            cases.put(form("csrf", csrf, "t", token, "plan_hash", malformed, "decision", "approve", "approver", "Lee"),
                    "plan_hash must be the plan's SHA-256 as 64 lower-case hex digits");
        }
        String policy = PortalTestBed.sessionPolicy("shop.example.com").sha256();
        for (String malformed : new String[] {policy.toUpperCase(java.util.Locale.ROOT), policy + "0", "", "none"}) {
            cases.put(form("csrf", csrf, "t", token, "plan_hash", plan, "policy_hash", malformed, "decision", "approve",
                    "approver", "Lee"), "policy_hash must be the session policy's SHA-256 as 64 lower-case hex digits");
        }
        for (var c : cases.entrySet()) {
            JsonNode response = postForm(alert, c.getKey());
            assertThat(response.path("statusCode").asInt()).as(c.getValue()).isEqualTo(400);
            assertThat(response.path("body").asText()).as(c.getValue()).contains(escaped(c.getValue()));
        }
        JsonNode notJson = bed.call("post-decision-json.json", Map.of("ALERT_ID", alert.alertId(), "JSON_BODY", "{nope"));
        JsonNode notString = bed.call("post-decision-json.json", Map.of("ALERT_ID", alert.alertId(),
                "JSON_BODY", "{\"decision\":true}"));
        JsonNode duplicateKey = bed.call("post-decision-json.json", Map.of("ALERT_ID", alert.alertId(),
                "JSON_BODY", "{\"csrf\":\"" + csrf + "\",\"t\":\"" + token + "\",\"plan_hash\":\"" + plan
                        + "\",\"decision\":\"reject\",\"approver\":\"Lee\",\"decision\":\"approve\"}"));
        JsonNode notAnEvent = bed.invoke("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        JsonNode garbage = bed.invoke("\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8));
        JsonNode badId = bed.call("get-review.json", Map.of("ALERT_ID", "..%2F..%2Fetc", "TOKEN", token));
        JsonNode wrongMethod = bed.call("get-review.json", Map.of("ALERT_ID", alert.alertId() + "/decision",
                "TOKEN", token));
        JsonNode unknownPath = bed.call("get-review.json", Map.of("ALERT_ID", alert.alertId() + "/a/b", "TOKEN", token));

        assertThat(notJson.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notJson.path("body").asText()).contains("not valid JSON");
        assertThat(notString.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notString.path("body").asText()).contains("'decision' must be a string");
        assertThat(duplicateKey.path("statusCode").asInt()).isEqualTo(400);
        assertThat(duplicateKey.path("body").asText())
                .contains("the JSON body gives a field more than once (Duplicate field 'decision')");
        assertThat(notAnEvent.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notAnEvent.path("body").asText()).contains("not an API Gateway HTTP API payload 2.0 event");
        assertThat(garbage.path("statusCode").asInt()).isEqualTo(400);
        assertThat(badId.path("statusCode").asInt()).isEqualTo(400);
        assertThat(wrongMethod.path("statusCode").asInt()).isEqualTo(405);
        assertThat(wrongMethod.path("headers").path("Allow").asText()).isEqualTo("POST");
        assertThat(unknownPath.path("statusCode").asInt()).isEqualTo(404);
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.approvals()).isEmpty();
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void anApprovalOfAnOlderPlan_is409_saysReloadThePage_andChangesNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        String olderPlan = "0".repeat(64);

        JsonNode form = postForm(alert, form("csrf", csrf(page), "t", token, "plan_hash", olderPlan,
                "decision", "approve", "approver", "Lee"));
        JsonNode json = postJson(alert, Map.of("csrf", csrf(page), "t", token, "plan_hash", olderPlan,
                "decision", "approve", "approver", "Lee"));

        assertThat(planHash(page)).isEqualTo(alert.planHash());
        assertThat(form.path("statusCode").asInt()).isEqualTo(409);
        assertThat(form.path("body").asText()).contains("Reload the page, review the plan it shows now");
        assertThat(json.path("statusCode").asInt()).isEqualTo(409);
        assertThat(PortalTestBed.parse(json.path("body").asText()).path("outcome").asText()).isEqualTo("plan_changed");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.approvals()).isEmpty();
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void anApprovalNamingAnotherSessionPolicy_orNone_is409_saysReloadThePage_andChangesNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        String otherPolicy = "0".repeat(64);

        JsonNode wrong = postForm(alert, form("csrf", csrf(page), "t", token, "plan_hash", planHash(page),
                "policy_hash", otherPolicy, "decision", "approve", "approver", "Lee"));
        JsonNode missing = postJson(alert, Map.of("csrf", csrf(page), "t", token, "plan_hash", planHash(page),
                "decision", "approve", "approver", "Lee"));

        assertThat(wrong.path("statusCode").asInt()).isEqualTo(409);
        assertThat(wrong.path("body").asText()).contains("The grants shown on your page are not the plan&#39;s session "
                + "policy now; nothing was recorded. Reload the page");
        assertThat(missing.path("statusCode").asInt()).isEqualTo(409);
        assertThat(PortalTestBed.parse(missing.path("body").asText()).path("outcome").asText())
                .isEqualTo("policy_changed");
        Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(stored.approvals()).isEmpty();
        assertThat(stored.version()).isEqualTo(alert.version());
        assertThat(bed.refusals(alert.alertId())).extracting(e -> e.path("detail").asText()).containsExactly(
                "the session policy shown (" + otherPolicy + ") is not the plan's policy now ("
                        + policyHash(page) + "); reload the page and decide again",
                "the session policy shown (none) is not the plan's policy now (" + policyHash(page)
                        + "); reload the page and decide again");
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void aPlanNoSessionPolicyCanBeMadeFor_offersOnlyReject_andAnApprovalIs409WithTheReason() {
        String elsewhere = "arn:aws:acm:us-east-1:210987654321:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10), "TLS: certificate expired",
                new Plan("Serve another account's certificate.", List.of(new PlanStep("S1",
                        new Action.SetViewerCertificate(PortalTestBed.DISTRIBUTION, elsewhere, "TLSv1.2_2021"),
                        Precondition.of("E1", Map.of("certificate", "expired")),
                        new Inverse.Irreversible("the expired certificate is of no use"), Risk.MEDIUM,
                        new Permission("cloudfront:UpdateDistribution", "arn:aws:cloudfront::123456789012:distribution/"
                                + PortalTestBed.DISTRIBUTION)))));
        String token = bed.token(alert.alertId());
        String page = get(alert, token).path("body").asText();
        String reason = "no session policy can be made for this plan: certificate " + elsewhere
                + " is not in partition aws and account 123456789012";

        JsonNode approval = postForm(alert, form("csrf", csrf(page), "t", token, "plan_hash", planHash(page),
                "decision", "approve", "approver", "Lee"));

        assertThat(page).contains("This plan cannot be approved: " + reason, "id=\"reject\"")
                .doesNotContain("id=\"approve\"", "name=\"policy_hash\"");
        assertThat(approval.path("statusCode").asInt()).isEqualTo(409);
        assertThat(approval.path("body").asText()).contains("This plan cannot be approved: " + reason
                + ". Nothing was recorded; it can still be rejected.");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().version()).isEqualTo(alert.version());
        assertThat(bed.refusals(alert.alertId())).singleElement().satisfies(e -> assertThat(e.path("detail").asText())
                .isEqualTo("the plan cannot be approved: " + reason));

        JsonNode rejection = postForm(alert, form("csrf", csrf(page), "t", token, "decision", "reject",
                "approver", "Lee", "comment", "not ours"));

        assertThat(rejection.path("statusCode").asInt()).isEqualTo(200);
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.REJECTED);
        assertThat(bed.executeMessages()).isEmpty();
    }

    @Test
    void injectedMarkup_inAnalysisDomainCommentAndName_isRenderedInert() {
        String evil = "evil.example.com<script>alert('domain')</script>";
        Alert alert = bed.seed(Severity.MEDIUM, evil, Duration.ofMinutes(10));
        bed.overwriteReport(alert, """
                ## Executive Summary
                <script>alert('report')</script>
                <img src=x onerror="alert('img')">
                [click me](javascript:alert('link')) and [data](data:text/html;base64,PHNjcmlwdD4=)
                <a href="javascript:alert(1)" onclick="alert(2)">raw</a>
                <iframe src="https://attacker.example/"></iframe>
                """);
        String token = bed.token(alert.alertId());
        String csrf = csrfFor(alert, token);
        postForm(alert, form("csrf", csrf, "t", token, "decision", "reject",
                "approver", "<img src=x onerror=alert('name')>", "comment", "<script>alert('comment')</script>"));

        String html = get(alert, token).path("body").asText();

        String withoutOurMarkup = html.replaceAll("(?s)<style>.*?</style>", "");
        assertThat(withoutOurMarkup).doesNotContainPattern("(?i)<script")
                .doesNotContainPattern("(?i)<img")
                .doesNotContainPattern("(?i)<iframe")
                .doesNotContainPattern("(?i)<a [^>]*href=\"(javascript|data):")
                .doesNotContainPattern("(?i)<[a-z][^>]*\\son[a-z]+=");
        assertThat(html).contains("&lt;script&gt;alert(&#39;domain&#39;)&lt;/script&gt;")
                .contains("&lt;script&gt;alert('report')&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(&#39;name&#39;)&gt;")
                .contains("&lt;script&gt;alert(&#39;comment&#39;)&lt;/script&gt;")
                .contains("click me");
    }

    @Test
    void outsideText_onThePage_isPlainText_withoutBidiOrInvisibleCharacters() {
        String header = "HTTP 503; Server: **nginx** [click](https://evil.example) \u202Eexe.gnp\u202C \u2066x\u2069";
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10), header);
        bed.overwriteReport(alert, "## Executive Summary\nThe site said \u202Etxt.exe\u202C and \u200Bnothing else.\n");
        String token = bed.token(alert.alertId());
        String csrf = csrfFor(alert, token);
        postForm(alert, form("csrf", csrf, "t", token, "decision", "reject", "approver", "Lee",
                "comment", "[click](https://evil.example) **x** <https://evil|x> \u202Egnp.exe\u200F"));

        String html = get(alert, token).path("body").asText();

        assertThat(html).doesNotContain("\u202E", "\u202C", "\u2066", "\u2069", "\u200B", "\u200F")
                .doesNotContain("href=\"https://evil").doesNotContain("<strong>x</strong>", "<strong>nginx</strong>")
                .contains("Server: **nginx** [click](https://evil.example) exe.gnp x")
                .contains("[click](https://evil.example) **x** &lt;https://evil|x&gt; gnp.exe")
                .contains("The site said txt.exe and nothing else.");
    }

    @Test
    void theReportLink_redirectsToAShortLivedLinkThatServesTheReport() throws Exception {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));

        JsonNode response = bed.call("get-report.json", Map.of("ALERT_ID", alert.alertId(),
                "TOKEN", bed.token(alert.alertId())));

        assertThat(response.path("statusCode").asInt()).isEqualTo(302);
        String location = response.path("headers").path("Location").asText();
        assertThat(location).contains("X-Amz-Expires=300", "X-Amz-Signature=");
        var fetched = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(location)).build(),
                BodyHandlers.ofString());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).contains("## Executive Summary", "shop.example.com");
    }

    @Test
    void theLogLink_redirectsToAFreshShortLivedLinkOfTheExecutionLog() throws Exception {
        Alert pending = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        String key = "executions/2026-11-27/shop.example.com/" + pending.alertId() + ".md";
        s3.clients().s3().putObject(b -> b.bucket(bed.bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString("# Execution of alert " + pending.alertId()));
        java.time.Instant now = java.time.Instant.now();
        dev.cloudops.alert.Actor erin = new dev.cloudops.alert.Actor("erin", true, "203.0.113.7", "test");
        Alert approved = ((dev.cloudops.alert.TransitionResult.Applied) bed.alerts.apply(
                pending.approve(erin, "sub-erin", "engineer", null, pending.planHash(), now))).alert();
        Alert running = ((dev.cloudops.alert.TransitionResult.Applied) bed.alerts.apply(
                approved.startExecution(dev.cloudops.alert.Actor.system("execution"), now))).alert();
        bed.alerts.apply(running.finishExecution(new dev.cloudops.alert.ExecutionReport(
                dev.cloudops.alert.ExecutionStatus.COMPLETED, now, now.plusSeconds(3), "s3://" + bed.bucket + "/" + key,
                "done"), dev.cloudops.alert.Actor.system("execution"), now.plusSeconds(3)));
        Alert other = bed.seed(Severity.MEDIUM, "other.example.com", Duration.ofMinutes(10));

        JsonNode response = bed.call("get-log.json", Map.of("ALERT_ID", pending.alertId(),
                "TOKEN", bed.token(pending.alertId())));
        JsonNode none = bed.call("get-log.json", Map.of("ALERT_ID", other.alertId(), "TOKEN", bed.token(other.alertId())));
        JsonNode denied = bed.call("get-log.json", Map.of("ALERT_ID", pending.alertId(), "TOKEN", "x.y"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(302);
        String location = response.path("headers").path("Location").asText();
        var fetched = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(location)).build(),
                BodyHandlers.ofString());
        assertThat(fetched.body()).isEqualTo("# Execution of alert " + pending.alertId());
        assertThat(none.path("statusCode").asInt()).isEqualTo(404);
        assertThat(denied.path("statusCode").asInt()).isEqualTo(401);
    }

    @Test
    void theQueue_needsSignIn_inLinkMode() {
        JsonNode response = bed.call("get-queue-link.json", Map.of());

        assertThat(response.path("statusCode").asInt()).isEqualTo(401);
        assertThat(response.path("body").asText()).contains("the review queue needs sign-in");
    }

    @Test
    void aTaskEvent_isRefused_inDirectMode_andChangesNothing() {
        Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(10));
        byte[] task = ("{\"cloudops_task\":\"await_decision\",\"alert_id\":\"" + alert.alertId()
                + "\",\"task_token\":\"T\"}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> bed.invoke(task)).isInstanceOf(dev.cloudops.CloudopsException.class)
                .hasMessageContaining("await_decision needs ORCHESTRATION=stepfunctions");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().version()).isEqualTo(alert.version());
    }

    private String csrfFor(Alert alert, String token) {
        // No form on the page (expired or not allowed): issue one the way the page would have.
        return PortalTestBed.formField(get(alert, token).path("body").asText(), "csrf").orElseGet(() ->
                new dev.cloudops.approval.auth.CsrfTokens(bed.tokens, Duration.ofHours(1)).issue(alert.alertId(),
                new dev.cloudops.approval.auth.Viewer(java.util.Optional.empty(), "link:" + token,
                        java.util.Optional.of(token))));
    }

    private JsonNode postJson(Alert alert, Map<String, String> fields) {
        return bed.call("post-decision-json.json", Map.of("ALERT_ID", alert.alertId(),
                "JSON_BODY", PortalTestBed.json(fields)));
    }

    private static String escaped(String text) {
        return dev.cloudops.approval.page.Html.text(text).markup();
    }
    private JsonNode get(Alert alert, String token) {
        return bed.getReview(alert.alertId(), token);
    }

    private JsonNode postForm(Alert alert, String body) {
        return bed.postForm(alert.alertId(), body);
    }

    private static String csrf(String html) {
        return PortalTestBed.requiredFormField(html, "csrf");
    }

    private static String planHash(String html) {
        return PortalTestBed.requiredFormField(html, "plan_hash");
    }

    private static String policyHash(String html) {
        return PortalTestBed.requiredFormField(html, "policy_hash");
    }

    private static String form(String... pairs) {
        return PortalTestBed.form(pairs);
    }
}
