package dev.cloudops.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {

    private static final String ACCOUNT = "123456789012";
    private static final String ZONE = PlanFixtures.ZONE;
    private static final String OTHER_ZONE = "Z9ZZZZZZZZZZZZZZZZZZZ";
    private static final String DIST = PlanFixtures.DISTRIBUTION;
    private static final String ZONE_ARN = "arn:aws:route53:::hostedzone/" + ZONE;
    private static final String DIST_ARN = "arn:aws:cloudfront::" + ACCOUNT + ":distribution/" + DIST;
    private static final String CHANGES = "arn:aws:route53:::change/*";
    private static final String RECORD_NAMES = "route53:ChangeResourceRecordSetsNormalizedRecordNames";
    private static final String RECORD_TYPES = "route53:ChangeResourceRecordSetsRecordTypes";
    private static final String BATCH_ACTIONS = "route53:ChangeResourceRecordSetsActions";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern READ = Pattern.compile("[a-z0-9]+:(Get|List|Describe)[A-Za-z]*");

    // ---- every action type and its inverse -------------------------------------------------------------

    @Test
    void upsertRecord_andItsDeleteUndo_mayChangeOnlyThatRecordInItsZone() {
        Action.RecordSet www = values(ZONE, "WWW.Example.com.", "A", "192.0.2.10");
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.UpsertRecord(www),
                new Inverse.Undo(new Action.DeleteRecord(www)))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "route53:ListResourceRecordSets", List.of(ZONE_ARN),
                "route53:ChangeResourceRecordSets", List.of(ZONE_ARN),
                "route53:GetChange", List.of(CHANGES)));
        SessionPolicy.Statement change = statementFor(policy, "route53:ChangeResourceRecordSets");
        assertThat(change.actions()).containsExactly("route53:ChangeResourceRecordSets");
        assertThat(change.condition()).containsOnlyKeys("ForAllValues:StringEquals", "Null");
        assertThat(change.condition().get("ForAllValues:StringEquals")).containsExactlyInAnyOrderEntriesOf(Map.of(
                RECORD_NAMES, List.of("www.example.com"),
                RECORD_TYPES, List.of("A")));
        assertThat(change.condition().get("Null")).containsExactlyInAnyOrderEntriesOf(Map.of(
                RECORD_NAMES, List.of("false"), RECORD_TYPES, List.of("false")));
        assertThat(statementFor(policy, "route53:ListResourceRecordSets").condition())
                .as("reads carry no record-change condition").isEmpty();
        assertThat(words(policy)).contains("route53:ChangeResourceRecordSets on hostedzone/" + ZONE
                + " (S1 and its undo), only ChangeResourceRecordSetsNormalizedRecordNames www.example.com; "
                + "ChangeResourceRecordSetsRecordTypes A");
    }

    @Test
    void deleteRecord_andItsUpsertUndo_onAWildcardName_useRoute53sEscapedName() {
        Action.RecordSet any = values("/hostedzone/" + ZONE, "*.example.com", "CNAME", "shop.example.net");
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.DeleteRecord(any),
                new Inverse.Undo(new Action.UpsertRecord(any)))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "route53:ListResourceRecordSets", List.of(ZONE_ARN),
                "route53:ChangeResourceRecordSets", List.of(ZONE_ARN),
                "route53:GetChange", List.of(CHANGES)));
        assertThat(statementFor(policy, "route53:ChangeResourceRecordSets").condition()
                .get("ForAllValues:StringEquals").get(RECORD_NAMES)).containsExactly("\\052.example.com");
        assertThat(policy.json()).contains("\"\\\\052.example.com\"");
    }

    @Test
    void setEnabled_andItsUndo_readAndUpdateOnlyThatDistribution() {
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.SetEnabled(DIST, true),
                new Inverse.Undo(new Action.SetEnabled(DIST, false)))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cloudfront:GetDistribution", List.of(DIST_ARN),
                "cloudfront:UpdateDistribution", List.of(DIST_ARN)));
        assertThat(policy.statements()).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactly("cloudfront:GetDistribution", "cloudfront:UpdateDistribution");
            assertThat(s.resources()).containsExactly(DIST_ARN);
            assertThat(s.condition()).isEmpty();
        });
        assertThat(policy.json()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"cloudfront:GetDistribution\",\"cloudfront:UpdateDistribution\"],"
                + "\"Resource\":\"" + DIST_ARN + "\"}]}");
        assertThat(words(policy)).containsExactly(
                "cloudfront:GetDistribution on distribution/" + DIST + " (S1 and its undo)",
                "cloudfront:UpdateDistribution on distribution/" + DIST + " (S1 and its undo)");
    }

    @Test
    void setOrigin_andItsUndo_onAnotherDistribution_grantThatDistributionToo() {
        String other = "E1ABCDEFGHIJKL";
        String otherArn = "arn:aws:cloudfront::" + ACCOUNT + ":distribution/" + other;
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.SetOrigin(DIST, "o1", "new.example.net"),
                new Inverse.Undo(new Action.SetOrigin(other, "o1", "old.example.net")))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cloudfront:GetDistribution", List.of(otherArn, DIST_ARN),
                "cloudfront:UpdateDistribution", List.of(otherArn, DIST_ARN)));
        assertThat(words(policy)).contains("cloudfront:UpdateDistribution on distribution/" + DIST + " (S1)",
                "cloudfront:UpdateDistribution on distribution/" + other + " (S1's undo)");
    }

    @Test
    void setViewerCertificate_irreversible_alsoReadsThatCertificate() {
        SessionPolicy.Scoped policy = scoped(plan(step("S1",
                new Action.SetViewerCertificate(DIST, PlanFixtures.CERTIFICATE, "TLSv1.2_2021"),
                new Inverse.Irreversible("the old certificate expired"))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cloudfront:GetDistribution", List.of(DIST_ARN),
                "cloudfront:UpdateDistribution", List.of(DIST_ARN),
                "acm:DescribeCertificate", List.of(PlanFixtures.CERTIFICATE)));
        assertThat(words(policy)).contains("acm:DescribeCertificate on certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc (S1)");
    }

    @Test
    void createInvalidation_irreversible_mayInvalidateOnlyThatDistribution() {
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.CreateInvalidation(DIST, List.of("/*")),
                new Inverse.Irreversible("caches cannot be refilled"))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cloudfront:GetDistribution", List.of(DIST_ARN),
                "cloudfront:CreateInvalidation", List.of(DIST_ARN)));
        assertThat(policy.statements()).noneMatch(s -> s.actions().contains("cloudfront:UpdateDistribution"));
    }

    @Test
    void requestCertificate_irreversible_isNarrowedToItsNames_andItsValidationRecords() {
        SessionPolicy.Scoped policy = scoped(plan(step("S1",
                new Action.RequestCertificate("shop.example.com", List.of("*.shop.example.com", "www.shop.example.com")),
                new Inverse.Irreversible("a requested certificate is left for a person"))));

        assertThat(grantTable(policy)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acm:ListCertificates", List.of("*"),
                "acm:RequestCertificate", List.of("*"),
                "acm:DescribeCertificate", List.of("arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/*"),
                "route53:ListHostedZonesByName", List.of("*"),
                "route53:ChangeResourceRecordSets", List.of("arn:aws:route53:::hostedzone/*")));
        SessionPolicy.Statement request = statementFor(policy, "acm:RequestCertificate");
        assertThat(request.actions()).containsExactly("acm:RequestCertificate");
        assertThat(request.condition()).containsOnlyKeys("ForAllValues:StringEquals", "StringEquals", "Null");
        assertThat(request.condition().get("ForAllValues:StringEquals")).containsExactly(Map.entry("acm:DomainNames",
                List.of("*.shop.example.com", "shop.example.com", "www.shop.example.com")));
        assertThat(request.condition().get("StringEquals")).containsExactly(
                Map.entry("acm:ValidationMethod", List.of("DNS")));
        assertThat(request.condition().get("Null")).containsExactly(Map.entry("acm:DomainNames", List.of("false")));
        SessionPolicy.Statement validation = statementFor(policy, "route53:ChangeResourceRecordSets");
        assertThat(validation.condition().get("ForAllValues:StringLike")).containsExactly(
                Map.entry(RECORD_NAMES, List.of("_*.shop.example.com", "_*.www.shop.example.com")));
        assertThat(validation.condition().get("ForAllValues:StringEquals")).containsExactlyInAnyOrderEntriesOf(Map.of(
                RECORD_TYPES, List.of("CNAME"), BATCH_ACTIONS, List.of("UPSERT")));
        assertThat(validation.condition().get("Null")).containsOnlyKeys(RECORD_NAMES, RECORD_TYPES, BATCH_ACTIONS);
        assertThat(policy.statements()).noneMatch(s -> s.actions().contains("route53:GetChange"));
    }

    @Test
    void manualSteps_grantNothing_andAManualOnlyPlanNeedsNoPolicy() {
        Plan manual = plan(new PlanStep("S1", new Action.ManualStep("Renew the domain at the registrar."), null,
                new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null));

        SessionPolicy result = SessionPolicy.forPlan(manual, "aws", ACCOUNT, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(SessionPolicy.NothingToGrant.class,
                n -> assertThat(n.reason()).contains("manual", "no session policy"));
        SessionPolicy.Scoped mixed = scoped(plan(manual.steps().getFirst(), step("S2",
                new Action.SetEnabled(DIST, true), new Inverse.Undo(new Action.SetEnabled(DIST, false)))));
        assertThat(mixed.grants()).allSatisfy(g -> assertThat(g.neededBy()).containsExactly("S2 and its undo"));
    }

    @Test
    void everyActionOfTheCatalog_fitsOnePolicy_withNoGrantForTheManualStep() {
        SessionPolicy.Scoped policy = scoped(PlanFixtures.everyAction());

        assertThat(policy.json().length()).isLessThanOrEqualTo(SessionPolicy.MAX_PLAINTEXT_CHARACTERS);
        assertThat(policy.grants()).flatExtracting(SessionPolicy.Grant::neededBy).noneMatch(n -> n.contains("S8"));
        assertThat(statementFor(policy, "acm:DescribeCertificate").resources())
                .as("S5's certificate is covered by S6's grant on every certificate of the account")
                .containsExactly("arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/*");
        assertThat(words(policy)).contains("acm:DescribeCertificate on certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc (S5)",
                "acm:DescribeCertificate on certificate/* (S6)");
        assertThat(grantTable(policy).keySet()).containsExactlyInAnyOrder("route53:ListResourceRecordSets",
                "route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListHostedZonesByName",
                "cloudfront:GetDistribution", "cloudfront:UpdateDistribution", "cloudfront:CreateInvalidation",
                "acm:ListCertificates", "acm:RequestCertificate", "acm:DescribeCertificate");
    }

    // ---- merging, determinism, hash -------------------------------------------------------------------

    @Test
    void twoStepsOnOneZone_shareOneStatement_namingBothRecords() {
        Action.RecordSet www = values(ZONE, "www.example.com", "A", "192.0.2.10");
        Action.RecordSet api = values(ZONE, "api.example.com", "CNAME", "api.example.net");
        SessionPolicy.Scoped policy = scoped(plan(
                step("S1", new Action.UpsertRecord(www), new Inverse.Undo(new Action.DeleteRecord(www))),
                step("S2", new Action.UpsertRecord(api), new Inverse.Undo(new Action.DeleteRecord(api)))));

        assertThat(policy.statements()).filteredOn(s -> s.actions().contains("route53:ChangeResourceRecordSets"))
                .singleElement().satisfies(s -> {
                    assertThat(s.resources()).containsExactly(ZONE_ARN);
                    assertThat(s.condition().get("ForAllValues:StringEquals").get(RECORD_NAMES))
                            .containsExactly("api.example.com", "www.example.com");
                    assertThat(s.condition().get("ForAllValues:StringEquals").get(RECORD_TYPES))
                            .containsExactly("A", "CNAME");
                });
        assertThat(policy.statements()).filteredOn(s -> s.actions().contains("route53:ListResourceRecordSets"))
                .singleElement().satisfies(s -> assertThat(s.resources()).containsExactly(ZONE_ARN));
        assertThat(words(policy)).contains("route53:ListResourceRecordSets on hostedzone/" + ZONE
                + " (S1 and its undo, S2 and its undo)");
        assertThat(policy.json()).containsOnlyOnce("\"Action\":\"route53:ChangeResourceRecordSets\"")
                .containsOnlyOnce("route53:GetChange");
    }

    @Test
    void samePlan_givesByteIdenticalJson_andTheHashIsItsSha256() throws Exception {
        SessionPolicy.Scoped first = scoped(PlanFixtures.everyAction());
        SessionPolicy.Scoped again = scoped(PlanJson.parse(PlanJson.canonical(PlanFixtures.everyAction())) instanceof
                PlanParse.Valid v ? v.plan() : null);

        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.sha256()).isEqualTo(first.sha256()).matches("[0-9a-f]{64}");
        assertThat(first.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(first.json().getBytes(StandardCharsets.UTF_8))));
        JsonNode parsed = Json.mapper().readTree(first.json());
        assertThat(parsed.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(parsed.path("Statement")).hasSize(first.statements().size())
                .allSatisfy(s -> assertThat(s.path("Effect").asText()).isEqualTo("Allow"));
        assertThat(first.json()).doesNotContain(" ", "\n").isEqualTo(Json.mapper().writeValueAsString(parsed));
    }

    @Test
    void stepsInAnotherOrder_giveTheSameDocument_butAnotherChangeGivesAnotherHash() {
        Action.RecordSet www = values(ZONE, "www.example.com", "A", "192.0.2.10");
        PlanStep dns = step("S1", new Action.UpsertRecord(www), new Inverse.Undo(new Action.DeleteRecord(www)));
        PlanStep cdn = step("S2", new Action.SetEnabled(DIST, true), new Inverse.Undo(new Action.SetEnabled(DIST, false)));

        SessionPolicy.Scoped forward = scoped(plan(dns, cdn));
        SessionPolicy.Scoped backward = scoped(plan(cdn, dns));
        SessionPolicy.Scoped otherRecord = scoped(plan(step("S1", new Action.UpsertRecord(
                values(ZONE, "www2.example.com", "A", "192.0.2.10")), new Inverse.Irreversible("test")), cdn));

        assertThat(backward.json()).isEqualTo(forward.json());
        assertThat(otherRecord.sha256()).isNotEqualTo(forward.sha256());
    }

    // ---- refusals ------------------------------------------------------------------------------------

    @Test
    void aPlanOfManyRecordChanges_isRefusedWithItsSizeAndTheLimit_neverTruncated() {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            Action.RecordSet r = values(ZONE, "host-" + i + ".shop.example.com", "A", "192.0.2." + i);
            steps.add(step("S" + i, new Action.UpsertRecord(r), new Inverse.Undo(new Action.DeleteRecord(r))));
        }

        SessionPolicy result = SessionPolicy.forPlan(new Plan("many", steps), "aws", ACCOUNT, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(SessionPolicy.TooLarge.class, tooLarge -> {
            assertThat(tooLarge.limit()).isEqualTo(2048);
            assertThat(tooLarge.characters()).isGreaterThan(2048);
            assertThat(tooLarge.reason()).contains(tooLarge.characters() + " characters", "at most 2048");
            assertThat(tooLarge.grants()).filteredOn(g -> g.action().equals("route53:ChangeResourceRecordSets"))
                    .singleElement().satisfies(g -> assertThat(g.narrowedTo())
                            .contains("host-1.shop.example.com", "host-60.shop.example.com"));
        });
    }

    @Test
    void identifiersThatAreNotOneResource_areRefused() {
        assertThatThrownBy(() -> SessionPolicy.forPlan(plan(step("S1", new Action.UpsertRecord(
                values("*", "www.example.com", "A", "192.0.2.1")), new Inverse.Irreversible("t"))), "aws", ACCOUNT,
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hosted zone id");
        assertThatThrownBy(() -> scoped(plan(step("S1", new Action.SetEnabled("E*", true),
                new Inverse.Irreversible("t"))))).hasMessageContaining("distribution id");
        assertThatThrownBy(() -> scoped(plan(step("S1", new Action.SetViewerCertificate(DIST,
                "arn:aws:acm:us-east-1:999999999999:certificate/abc", null), new Inverse.Irreversible("t")))))
                .hasMessageContaining("not in partition aws and account " + ACCOUNT);
        assertThatThrownBy(() -> scoped(plan(step("S1", new Action.RequestCertificate("*", List.of()),
                new Inverse.Irreversible("t"))))).hasMessageContaining("domain name");
        assertThatThrownBy(() -> SessionPolicy.forPlan(PlanFixtures.everyAction(), "aws", "*", TIMEOUT))
                .hasMessageContaining("account id");
    }

    // ---- what the policy allows ------------------------------------------------------------------------

    /**
     * The approved plan changes a record in ZONE; the stored plan is then edited to name OTHER_ZONE. The policy
     * made from the approved plan allows no call on OTHER_ZONE. Checked against the document by action and
     * resource ARN pattern, ignoring conditions (which only narrow further), so "not allowed" here is not allowed
     * by IAM either; a simulation with IAM itself (SimulateCustomPolicy / moto) is still to do.
     */
    @Test
    void aStepWhoseZoneIsSwappedAfterApproval_isNotAllowedByTheApprovedPolicy() {
        Action.RecordSet approved = values(ZONE, "www.example.com", "A", "192.0.2.10");
        Action.RecordSet swapped = values(OTHER_ZONE, "www.example.com", "A", "192.0.2.10");
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.UpsertRecord(approved),
                new Inverse.Undo(new Action.DeleteRecord(approved)))));

        String otherZoneArn = "arn:aws:route53:::hostedzone/" + OTHER_ZONE;
        assertThat(allows(policy, "route53:ChangeResourceRecordSets", ZONE_ARN)).isTrue();
        assertThat(allows(policy, "route53:ChangeResourceRecordSets", otherZoneArn)).isFalse();
        assertThat(allows(policy, "route53:ListResourceRecordSets", otherZoneArn)).isFalse();
        SessionPolicy.Scoped tampered = scoped(plan(step("S1", new Action.UpsertRecord(swapped),
                new Inverse.Undo(new Action.DeleteRecord(swapped)))));
        assertThat(tampered.sha256()).as("the approved hash no longer matches").isNotEqualTo(policy.sha256());
    }

    @Test
    void aStepWhoseDistributionIsSwappedAfterApproval_isNotAllowedByTheApprovedPolicy() {
        SessionPolicy.Scoped policy = scoped(plan(step("S1", new Action.SetEnabled(DIST, false),
                new Inverse.Undo(new Action.SetEnabled(DIST, true)))));

        String other = "arn:aws:cloudfront::" + ACCOUNT + ":distribution/E1ABCDEFGHIJKL";
        assertThat(allows(policy, "cloudfront:UpdateDistribution", DIST_ARN)).isTrue();
        assertThat(allows(policy, "cloudfront:UpdateDistribution", other)).isFalse();
        assertThat(allows(policy, "cloudfront:CreateInvalidation", DIST_ARN)).as("not a call of the plan").isFalse();
        assertThat(allows(policy, "route53:ChangeResourceRecordSets", ZONE_ARN)).isFalse();
    }

    @Test
    void noStatementGrantsAWriteOnAWildcard_exceptTheDocumentedOnes_eachNarrowedByConditions() {
        SessionPolicy.Scoped policy = scoped(PlanFixtures.everyAction());

        List<String> writesOnWildcards = new ArrayList<>();
        for (SessionPolicy.Statement s : policy.statements()) {
            for (String action : s.actions()) {
                if (READ.matcher(action).matches()) {
                    continue;
                }
                for (String resource : s.resources()) {
                    if (resource.equals("*")) {
                        assertThat(SessionPolicy.UNSCOPABLE_WRITES).as(action + " on *").containsKey(action);
                        assertThat(s.condition()).as("the conditions narrowing " + action).isNotEmpty();
                        writesOnWildcards.add(action + " on *");
                    } else if (resource.contains("*")) {
                        assertThat(SessionPolicy.WILDCARD_WRITES).as(action + " on " + resource).containsKey(action);
                        assertThat(s.condition()).as("the conditions narrowing " + action).isNotEmpty();
                        writesOnWildcards.add(action + " on " + resource);
                    }
                }
            }
        }

        assertThat(writesOnWildcards).containsExactlyInAnyOrder("acm:RequestCertificate on *",
                "route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone/*");
        assertThat(statementFor(policy, "acm:RequestCertificate").condition()).containsKeys(
                "ForAllValues:StringEquals", "StringEquals", "Null");
        assertThat(policy.statements()).filteredOn(s -> s.resources().contains("arn:aws:route53:::hostedzone/*"))
                .singleElement().satisfies(s -> assertThat(s.condition().get("ForAllValues:StringEquals")
                        .get(BATCH_ACTIONS)).containsExactly("UPSERT"));
    }

    @Test
    void otherPartitions_giveTheirOwnArns() {
        SessionPolicy.Scoped policy = (SessionPolicy.Scoped) SessionPolicy.forPlan(plan(step("S1",
                new Action.UpsertRecord(values(ZONE, "www.example.com", "A", "192.0.2.10")),
                new Inverse.Irreversible("t")), step("S2", new Action.SetEnabled(DIST, true),
                new Inverse.Irreversible("t"))), "aws-us-gov", ACCOUNT, TIMEOUT);

        assertThat(policy.statements()).flatExtracting(SessionPolicy.Statement::resources)
                .allMatch(r -> r.startsWith("arn:aws-us-gov:"));
    }

    // ---- DurationSeconds ---------------------------------------------------------------------------------

    @Test
    void durationSeconds_isThePlansTimeout_withinStsBounds() {
        Plan plan = plan(step("S1", new Action.SetEnabled(DIST, true), new Inverse.Irreversible("t")));

        assertThat(duration(plan, Duration.ofMinutes(1))).isEqualTo(900);
        assertThat(duration(plan, Duration.ZERO)).isEqualTo(900);
        assertThat(duration(plan, Duration.ofMinutes(30))).isEqualTo(1800);
        assertThat(duration(plan, Duration.ofMillis(2000_200))).as("rounded up").isEqualTo(2001);
        assertThat(duration(plan, Duration.ofHours(12))).isEqualTo(43200);
        assertThat(duration(plan, Duration.ofDays(2))).isEqualTo(43200);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static int duration(Plan plan, Duration timeout) {
        return ((SessionPolicy.Scoped) SessionPolicy.forPlan(plan, "aws", ACCOUNT, timeout)).durationSeconds();
    }

    private static SessionPolicy.Scoped scoped(Plan plan) {
        SessionPolicy result = SessionPolicy.forPlan(plan, "aws", ACCOUNT, TIMEOUT);
        assertThat(result).isInstanceOf(SessionPolicy.Scoped.class);
        return (SessionPolicy.Scoped) result;
    }

    /** Action to the sorted resources it is granted on, across all statements. */
    private static Map<String, List<String>> grantTable(SessionPolicy.Scoped policy) {
        return policy.statements().stream()
                .flatMap(s -> s.actions().stream().flatMap(a -> s.resources().stream().map(r -> Map.entry(a, r))))
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue,
                        Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().sorted().toList()))));
    }

    private static SessionPolicy.Statement statementFor(SessionPolicy.Scoped policy, String action) {
        List<SessionPolicy.Statement> found = policy.statements().stream().filter(s -> s.actions().contains(action))
                .toList();
        assertThat(found).as("statements granting " + action).hasSize(1);
        return found.getFirst();
    }

    private static List<String> words(SessionPolicy.Scoped policy) {
        return policy.grants().stream().map(SessionPolicy.Grant::words).toList();
    }

    /**
     * Whether some Allow statement matches the action and the resource ARN (IAM's {@code *} and {@code ?}
     * wildcards), read from the JSON document itself. Conditions are ignored: they can only narrow an Allow.
     */
    private static boolean allows(SessionPolicy.Scoped policy, String action, String resource) {
        try {
            for (JsonNode s : Json.mapper().readTree(policy.json()).path("Statement")) {
                if (s.path("Effect").asText().equals("Allow") && values(s.path("Action")).contains(action)
                        && values(s.path("Resource")).stream().anyMatch(p -> glob(p).matcher(resource).matches())) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Action.RecordSet values(String zone, String name, String type, String value) {
        return new Action.RecordSet(zone, name, type, 300L, List.of(value), null);
    }

    private static PlanStep step(String id, Action action, Inverse inverse) {
        return new PlanStep(id, action, Precondition.of("E1", Map.of("k", "v")), inverse, Risk.LOW,
                new Permission("x:y", "z"));
    }

    private static Plan plan(PlanStep... steps) {
        return new Plan("test plan", List.of(steps));
    }
}
