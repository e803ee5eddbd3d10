package dev.cloudops.approval.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import dev.cloudops.json.Json;
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
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookTemplate;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The review page as {@link Pages} renders it: here, the matrix of what each probe region saw, and what approving
 * grants the execution (the executor role's session policy) above the decision form.
 */
class PagesTest {

    private static final Instant AT = Instant.parse("2026-12-07T21:20:00Z");
    private static final Pattern REGIONS_TABLE = Pattern.compile("<table id=\"regions-table\".*?</table>", Pattern.DOTALL);
    private static final Pattern GRANTS = Pattern.compile("<section id=\"grants\">.*?</section>", Pattern.DOTALL);
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    private static final Optional<SessionScope> EXECUTOR = Optional.of(
            SessionScope.of("arn:aws:iam::123456789012:role/cloudops-executor"));

    private final Pages pages = new Pages();
    private final Alert alert = Alert.detect("01JTESTALERT", AT, URI.create("https://shop.example.com/"),
            IssueType.DNS_FAILURE, Severity.MEDIUM, "DNS: NXDOMAIN for shop.example.com", Actor.system("monitor"));

    @Test
    void review_withARegionalSplit_showsEachRegionsStateAtEachLayer() {
        RegionalSplit split = new RegionalSplit("shop.example.com", 2, List.of(
                new RegionResult("eu-west-1", Seen.FAILING, Layer.DNS, Classification.DNS_FAILURE, 412L, AT),
                new RegionResult("us-east-1", Seen.HEALTHY, null, Classification.HEALTHY, 88L, AT.plusSeconds(30)),
                RegionResult.silent("ap-southeast-2")));

        HttpResponse page = render(evidence(split));

        assertThat(page.status()).isEqualTo(200);
        String table = regionsTable(page);
        assertThat(page.body()).contains("<h2>Seen from each probe region</h2>");
        assertThat(table).contains("<caption>1 of 3 regions see it failing; 2 needed for an alert. "
                + "Cites evidence item E2.</caption>");
        assertThat(table).contains("<thead><tr><th scope=\"col\">Region</th><th scope=\"col\">DNS</th>"
                + "<th scope=\"col\">TCP</th><th scope=\"col\">TLS</th><th scope=\"col\">HTTP</th>"
                + "<th scope=\"col\">Latency · observed</th></tr></thead>");
        assertThat(rows(table)).containsExactly(
                "<tr><th scope=\"row\">eu-west-1</th>"
                        + "<td class=\"state-failing\">failing: DNS_FAILURE</td>"
                        + "<td class=\"state-not-reached\">not reached</td>"
                        + "<td class=\"state-not-reached\">not reached</td>"
                        + "<td class=\"state-not-reached\">not reached</td>"
                        + "<td>412 ms · 2026-12-07 21:20:00 UTC</td></tr>",
                "<tr><th scope=\"row\">us-east-1</th>"
                        + "<td class=\"state-ok\">ok</td><td class=\"state-ok\">ok</td>"
                        + "<td class=\"state-ok\">ok</td><td class=\"state-ok\">ok</td>"
                        + "<td>88 ms · 2026-12-07 21:20:30 UTC</td></tr>",
                "<tr><th scope=\"row\">ap-southeast-2</th>"
                        + "<td class=\"state-no-result\">no result</td><td class=\"state-no-result\">no result</td>"
                        + "<td class=\"state-no-result\">no result</td><td class=\"state-no-result\">no result</td>"
                        + "<td>—</td></tr>");
        // The evidence table still lists the item the matrix cites.
        assertThat(page.body()).contains("<td>E2</td><td><code>probe:Regions</code></td>");
    }

    @Test
    void review_aRegionFailingAtALaterLayer_isOkBeforeItAndNotReachedAfter() {
        RegionalSplit split = new RegionalSplit("shop.example.com", 1, List.of(
                new RegionResult("eu-west-1", Seen.FAILING, Layer.TLS, Classification.TLS_ERROR, null, AT),
                new RegionResult("us-east-1", Seen.FAILING, Layer.HTTP, Classification.HTTP_ERROR, 950L, null)));

        String table = regionsTable(render(evidence(split)));

        assertThat(table).contains("<caption>2 of 2 regions see it failing; 1 needed for an alert. "
                + "Cites evidence item E2.</caption>");
        assertThat(rows(table)).containsExactly(
                "<tr><th scope=\"row\">eu-west-1</th>"
                        + "<td class=\"state-ok\">ok</td><td class=\"state-ok\">ok</td>"
                        + "<td class=\"state-failing\">failing: TLS_ERROR</td>"
                        + "<td class=\"state-not-reached\">not reached</td>"
                        + "<td>2026-12-07 21:20:00 UTC</td></tr>",
                "<tr><th scope=\"row\">us-east-1</th>"
                        + "<td class=\"state-ok\">ok</td><td class=\"state-ok\">ok</td><td class=\"state-ok\">ok</td>"
                        + "<td class=\"state-failing\">failing: HTTP_ERROR</td>"
                        + "<td>950 ms</td></tr>");
    }

    @Test
    void review_withoutARegionalSplit_showsNoMatrix() {
        for (JsonNode evidence : new JsonNode[] {pack(List.of(route53Item())), null, Json.mapper().createArrayNode()}) {
            HttpResponse page = render(evidence);

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).doesNotContain("regions-table", "Seen from each probe region", "class=\"state-");
        }
    }

    @Test
    void review_aSplitThatWasNotReadOk_showsNoMatrix() {
        RegionalSplit split = new RegionalSplit("shop.example.com", 1, List.of(
                new RegionResult("eu-west-1", Seen.FAILING, Layer.DNS, Classification.DNS_FAILURE, 412L, AT)));
        EvidenceItem item = split.toItem("E2", AT);
        EvidenceItem failed = new EvidenceItem(item.id(), item.source(), item.subject(), item.at(),
                EvidenceStatus.ERROR, item.summary(), item.data());

        HttpResponse page = render(pack(List.of(route53Item(), failed)));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("regions-table");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "null",
            "\"not an object\"",
            "{}",
            "{\"target\":\"shop.example.com\",\"required\":1,\"regions\":\"eu-west-1\"}",
            "{\"target\":\"shop.example.com\",\"required\":1,\"regions\":[{\"region\":\"eu-west-1\",\"seen\":\"sideways\"}]}",
            "{\"target\":\"shop.example.com\",\"required\":1,\"regions\":[{\"region\":\"eu-west-1\",\"seen\":\"failing\"}]}",
            "{\"target\":\"shop.example.com\",\"required\":1,\"regions\":[{\"region\":\"eu-west-1\",\"seen\":\"failing\","
                    + "\"layer\":\"DNS\",\"classification\":\"SHRUG\"}]}",
            "{\"target\":\"shop.example.com\",\"required\":1,\"regions\":[{\"region\":\"eu-west-1\",\"seen\":\"healthy\","
                    + "\"observed_at\":\"yesterday\"}]}",
            "{\"target\":\"shop.example.com\",\"required\":5,\"regions\":[{\"region\":\"eu-west-1\",\"seen\":\"healthy\"}]}",
            "{\"target\":\"shop.example.com\",\"required\":1,\"regions\":[17, null]}"})
    void review_withMalformedSplitData_showsNoMatrix_andStillRenders(String data) throws Exception {
        ArrayNode items = Json.mapper().createArrayNode();
        items.add(Json.mapper().valueToTree(route53Json()));
        items.addObject().put("id", "E2").put("source", RegionalSplit.SOURCE).put("subject", "shop.example.com")
                .put("status", "OK").put("summary", "hand-edited").set("data", Json.mapper().readTree(data));

        HttpResponse page = render(items);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("regions-table", "Seen from each probe region")
                .contains("<table id=\"evidence-table\">", "<td>hand-edited</td>", "<section id=\"history\">");
    }

    @Test
    void review_escapesRegionNamesFromStoredData() {
        RegionalSplit split = new RegionalSplit("shop.example.com", 1, List.of(
                new RegionResult("<script>alert(1)</script>", Seen.FAILING, Layer.DNS, Classification.DNS_FAILURE,
                        412L, AT),
                new RegionResult("us-east-1\" onmouseover=\"x", Seen.HEALTHY, null, Classification.HEALTHY, 88L, AT)));

        HttpResponse page = render(evidence(split));

        String table = regionsTable(page);
        assertThat(table).contains("<th scope=\"row\">&lt;script&gt;alert(1)&lt;/script&gt;</th>",
                "<th scope=\"row\">us-east-1&quot; onmouseover=&quot;x</th>");
        assertThat(page.body()).doesNotContain("<script", "\" onmouseover=\"");
    }

    @Test
    void review_withAnExecutorRole_listsWhatApprovingGrants_beforeTheForm_andTheFormNamesThePolicy() {
        Plan plan = new Plan("<script>alert('plan')</script>", List.of(upsert("S1", "shop.example.com"),
                new PlanStep("S2", new Action.CreateInvalidation(DISTRIBUTION, List.of("/*")), precondition(),
                        new Inverse.Irreversible("an invalidation only empties caches"), Risk.LOW, permission())));
        Alert pending = pending(plan);
        SessionPolicy.Scoped policy = (SessionPolicy.Scoped) EXECUTOR.get().policyFor(plan);

        String body = renderForm(pending, Grants.of(EXECUTOR, pending)).body();

        String grants = grants(body);
        assertThat(grants).contains("<h3>What approving grants</h3>", "<p>Approving lets the execution assume the role "
                + "<code id=\"executor-role\">cloudops-executor</code> for at most 15 minutes per attempt, with a "
                + "session policy that allows only:</p>");
        assertThat(items(grants)).isNotEmpty()
                .isEqualTo(policy.grants().stream().map(g -> Html.text(g.words()).markup()).toList())
                .anySatisfy(i -> assertThat(i).startsWith("route53:ChangeResourceRecordSets on hostedzone/" + ZONE))
                .anySatisfy(i -> assertThat(i).startsWith("cloudfront:CreateInvalidation on distribution/"
                        + DISTRIBUTION + " (S2)"));
        assertThat(grants).contains("<code id=\"policy-hash\">" + policy.sha256() + "</code>");
        // The policy exactly as hashed, its quotes escaped: what is shown is what the hash is of.
        String shown = between(grants, "<pre id=\"policy-json\">", "</pre>");
        assertThat(shown).contains("{&quot;Version&quot;:&quot;2012-10-17&quot;").doesNotContain("\"");
        assertThat(shown.replace("&quot;", "\"")).isEqualTo(policy.json());
        assertThat(grants).contains("<details id=\"policy\"><summary>");
        assertThat(body.indexOf("<section id=\"grants\">")).isLessThan(body.indexOf("<form id=\"decision-form\""));
        assertThat(body).contains("<input type=\"hidden\" name=\"policy_hash\" value=\"" + policy.sha256() + "\">");
        assertThat(body).contains("id=\"approve\"", "id=\"reject\"").doesNotContain("<script");
    }

    @Test
    void review_ofAPlanWithOnlyManualSteps_saysApprovingGrantsNoCredentials() {
        Alert pending = pending(new Plan("renew", List.of(new PlanStep("S1",
                new Action.ManualStep("Renew the domain at the registrar."), null,
                new Inverse.Irreversible("a renewal stays"), Risk.LOW, null))));

        String body = renderForm(pending, Grants.of(EXECUTOR, pending)).body();

        assertThat(grants(body)).contains("<p>This plan makes no AWS call: approving grants no credentials.</p>")
                .doesNotContain("policy-hash", "<li>");
        assertThat(body).contains("id=\"approve\"").doesNotContain("name=\"policy_hash\"");
    }

    @Test
    void review_ofAPlanTooLargeForASessionPolicy_saysWhy_andOffersOnlyReject() {
        List<PlanStep> steps = new ArrayList<>();
        // The most steps the plan schema allows, with names long enough that no session policy holds them all.
        for (int i = 1; i <= 20; i++) {
            steps.add(upsert("S" + i, "checkout-frontend-" + i
                    + ".eu-central-1.a-rather-long-label-for-the-storefront-service.internal-routing.shop.example.com"));
        }
        Alert pending = pending(new Plan("many", steps));

        String body = renderForm(pending, Grants.of(EXECUTOR, pending)).body();

        assertThat(grants(body)).contains("<p class=\"note bad\">This plan cannot be approved: the plan&#39;s session "
                + "policy would be ", " characters; STS accepts at most 2048", "It can still be rejected.");
        assertThat(body).contains("id=\"reject\"").doesNotContain("id=\"approve\"", "name=\"policy_hash\"");
    }

    @Test
    void review_ofAPlanNoPolicyCanBeScopedTo_saysWhy_andOffersOnlyReject() {
        String elsewhere = "arn:aws:acm:us-east-1:210987654321:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";
        Alert pending = pending(new Plan("swap", List.of(new PlanStep("S1",
                new Action.SetViewerCertificate(DISTRIBUTION, elsewhere, "TLSv1.2_2021"), precondition(),
                new Inverse.Irreversible("the old certificate is gone"), Risk.MEDIUM, permission()))));

        String body = renderForm(pending, Grants.of(EXECUTOR, pending)).body();

        assertThat(grants(body)).contains("This plan cannot be approved: no session policy can be made for this plan: "
                + "certificate " + elsewhere + " is not in partition aws and account 123456789012");
        assertThat(body).contains("id=\"reject\"").doesNotContain("id=\"approve\"");
    }

    @Test
    void review_withoutAnExecutorRole_saysTheExecutionUsesItsOwnCredentials_andNamesNoPolicy() {
        Alert pending = pending(new Plan("restore", List.of(upsert("S1", "shop.example.com"))));

        String body = renderForm(pending, Grants.of(Optional.empty(), pending)).body();

        assertThat(body).contains("<p class=\"note \">No executor role is configured, so the execution uses its "
                + "function&#39;s own credentials.</p>").doesNotContain("id=\"grants\"", "policy-hash");
        assertThat(body).contains("id=\"approve\"").doesNotContain("name=\"policy_hash\"");
    }

    @Test
    void review_ofARunbooksProposal_saysSo_andShowsTheRunbooksRecordFromTheReport() {
        Plan plan = new Plan("restore", List.of(upsert("S1", "shop.example.com")));
        String record = "Proposed by runbook rb-0123456789abcdef0123456789abcdef, learned from alert 01JTEACHER, "
                + "promoted by alice; 3 verified successes, 2 uses before this alert, last failure: none.";
        Alert proposed = alert.analyze(new Analysis(Analyzer.RUNBOOK, null, record, null, null, null,
                PlanJson.canonical(plan), PlanJson.hash(plan), 1, List.of("Route 53"), null, null),
                Actor.system("analysis:runbook"), AT.plusSeconds(5)).after();

        String body = pages.review(new Pages.ReviewModel(proposed, Optional.of("## Executive Summary\n\n" + record
                + "\n"), "", null, List.of(), Optional.empty(), Optional.empty())).body();

        assertThat(body).contains("<dt>Analysed by</dt><dd>runbook</dd>",
                "rb-0123456789abcdef0123456789abcdef, learned from alert 01JTEACHER, promoted by alice; 3 verified "
                        + "successes, 2 uses before this alert, last failure: none.");
    }

    private HttpResponse renderForm(Alert pending, Grants grants) {
        return pages.review(new Pages.ReviewModel(pending, Optional.empty(), "No analysis in this test.", null,
                List.of(), Optional.of(new Pages.Form("csrf-token", Optional.of("review-token"), true, "", grants)),
                Optional.empty()));
    }

    /** {@link #alert}, analysed with {@code plan}. */
    private Alert pending(Plan plan) {
        return alert.analyze(new Analysis(Analyzer.RULES, null, "The alias record was deleted.", null, null, null,
                PlanJson.canonical(plan), PlanJson.hash(plan), 1, List.of("Route 53"), "Nobody reaches the site",
                null), Actor.system("rules"), AT.plusSeconds(5)).after();
    }

    private static PlanStep upsert(String id, String name) {
        Action.RecordSet record = new Action.RecordSet(ZONE, name, "A", 300L, List.of("192.0.2.10"), null);
        return new PlanStep(id, new Action.UpsertRecord(record), precondition(),
                new Inverse.Undo(new Action.DeleteRecord(record)), Risk.MEDIUM, permission());
    }

    private static Precondition precondition() {
        return Precondition.of("E1", Map.of("record", "absent"));
    }

    private static Permission permission() {
        return new Permission("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + ZONE);
    }

    private static String grants(String body) {
        Matcher m = GRANTS.matcher(body);
        assertThat(m.find()).as("the page has the grants section").isTrue();
        return m.group();
    }

    private static List<String> items(String grants) {
        return Pattern.compile("<li>(.*?)</li>").matcher(between(grants, "<ul id=\"grants-list\">", "</ul>"))
                .results().map(r -> r.group(1)).toList();
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("%s is there", start).isNotNegative();
        return text.substring(from + start.length(), text.indexOf(end, from));
    }

    private HttpResponse render(JsonNode evidence) {
        return pages.review(new Pages.ReviewModel(alert, Optional.empty(), "No analysis in this test.", evidence,
                List.of(), Optional.empty(), Optional.empty()));
    }

    /** The stored items of a pack holding a Route 53 read (E1) and {@code split} as E2, as the analysis writes it. */
    private static JsonNode evidence(RegionalSplit split) {
        EvidencePack pack = new EvidencePack("01JTESTALERT", "shop.example.com", AT, List.of(route53Item()));
        return split.addTo(pack).toJson().path("items");
    }

    private static JsonNode pack(List<EvidenceItem> items) {
        return new EvidencePack("01JTESTALERT", "shop.example.com", AT, items).toJson().path("items");
    }

    @Test
    void runbooks_listEachWithItsRecord_escapeTheirText_andOfferPromotionOnlyWhereThereIsAToken() {
        RunbookTemplate template = new RunbookTemplate(IssueType.HTTP_ERROR,
                "{\"summary\":\"enable <b>{{p1}}</b> & 'go'\",\"distribution\":\"{{p1}}\"}",
                List.of(new RunbookTemplate.Parameter("p1",
                        new RunbookTemplate.Source("cloudfront:GetDistribution", 0, "/data/id"), false)), List.of());
        Runbook candidate = new Runbook(Runbook.idOf(template), template, Runbook.Status.CANDIDATE, "01JTAUGHT\"x", AT,
                2, 3, AT.plusSeconds(60), "ETag <changed>", 0, null, null, null, 4);
        Runbook active = new Runbook("rb-" + "a".repeat(32), template, Runbook.Status.ACTIVE, "01JOTHER", AT, 0, 1,
                null, null, 0, null, "pat@example.com", AT, 2);

        HttpResponse page = pages.runbooks("alice <admin>", List.of(
                new Pages.RunbookRow(candidate, "alerts/01JTAUGHT\"x", Optional.of("csrf-token"))),
                List.of(new Pages.RunbookRow(active, "alerts/01JOTHER", Optional.empty())));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Signed in as alice &lt;admin&gt;", candidate.id(), "CANDIDATE", "ACTIVE (promoted by pat@example.com, 2026-12-07 21:20:00 UTC)",
                "<a href=\"alerts/01JTAUGHT&quot;x\">01JTAUGHT&quot;x</a>", "2026-12-07 21:21:00 UTC: ETag &lt;changed&gt;",
                "<details><summary>Plan template</summary><pre>", "enable &lt;b&gt;{{p1}}&lt;/b&gt; &amp; &#39;go&#39;",
                "action=\"runbooks/" + candidate.id() + "/promote\"",
                "name=\"csrf\" value=\"csrf-token\"", "name=\"version\" value=\"4\"")
                .doesNotContain("<b>", "ETag <changed>", "runbooks/" + active.id() + "/promote",
                        "runbooks/" + active.id() + "/auto-approval");
        assertThat(page.body().split("/promote\"", -1)).as("one promote form: the candidate's").hasSize(2);
        assertThat(page.body().split("/auto-approval\"", -1)).as("one auto-approval form: the candidate's, the only "
                + "row with a token").hasSize(2);
        assertThat(page.body()).contains("action=\"runbooks/" + candidate.id() + "/auto-approval\"",
                "name=\"after\" min=\"0\" max=\"1000\" value=\"0\"", "<td>off</td>");
    }

    @Test
    void runbooks_sayWhetherEachApprovesByItself_andOfferNoAutoApprovalForAPlanThatCannotBeUndone() {
        RunbookTemplate undoable = new RunbookTemplate(IssueType.HTTP_ERROR, "{\"summary\":\"s\",\"steps\":[{\"id\":"
                + "\"S1\",\"inverse\":{\"action\":\"cloudfront.disable_distribution\"}}]}", List.of(), List.of());
        RunbookTemplate oneWay = new RunbookTemplate(IssueType.HTTP_ERROR, "{\"summary\":\"s\",\"steps\":[{\"id\":"
                + "\"S1\",\"inverse\":{\"action\":\"x\"}},{\"id\":\"S2\",\"inverse\":{\"irreversible\":"
                + "\"not executed: <for> a person\"}}]}", List.of(), List.of());
        Runbook approving = new Runbook("rb-" + "b".repeat(32), undoable, Runbook.Status.ACTIVE, "01JA", AT, 1, 4,
                null, null, 3, "lee <ops>", "pat@example.com", AT, 7);
        Runbook candidate = new Runbook("rb-" + "c".repeat(32), undoable, Runbook.Status.CANDIDATE, "01JB", AT, 0, 1,
                null, null, 2, "lee", null, null, 1);
        Runbook never = new Runbook("rb-" + "d".repeat(32), oneWay, Runbook.Status.ACTIVE, "01JC", AT, 0, 1,
                null, null, 0, null, "pat@example.com", AT, 2);

        HttpResponse page = pages.runbooks("alice", List.of(new Pages.RunbookRow(candidate, "alerts/01JB",
                Optional.of("t"))), List.of(new Pages.RunbookRow(approving, "alerts/01JA", Optional.of("t")),
                new Pages.RunbookRow(never, "alerts/01JC", Optional.of("t"))));

        assertThat(page.body()).contains("low alerts from 3 verified successes (set by lee &lt;ops&gt;)",
                "low alerts from 2 verified successes, once active (set by lee)",
                "never: step S2 (not executed: &lt;for&gt; a person) cannot be undone",
                "action=\"runbooks/" + approving.id() + "/auto-approval\"", "value=\"3\" required",
                "action=\"runbooks/" + candidate.id() + "/auto-approval\"")
                .doesNotContain("runbooks/" + never.id() + "/auto-approval", "<for>");
    }

    @Test
    void runbooks_withNone_sayThereAreNone() {
        HttpResponse page = pages.runbooks("alice", List.of(), List.of());

        assertThat(page.body()).contains("No candidates.", "No active runbooks.").doesNotContain("<form");
    }

    private static EvidenceItem route53Item() {
        return new EvidenceItem("E1", "route53:ListResourceRecordSets", "Z0123456789ABCDEFGHIJ", AT, EvidenceStatus.OK,
                "no A record named shop.example.com", null);
    }

    private static ObjectNode route53Json() {
        return (ObjectNode) pack(List.of(route53Item())).get(0);
    }

    private static String regionsTable(HttpResponse page) {
        Matcher m = REGIONS_TABLE.matcher(page.body());
        assertThat(m.find()).as("the page has the regions table").isTrue();
        return m.group();
    }

    private static List<String> rows(String table) {
        String body = table.substring(table.indexOf("<tbody>") + "<tbody>".length(), table.indexOf("</tbody>"));
        return body.lines().filter(l -> !l.isBlank()).toList();
    }
}
