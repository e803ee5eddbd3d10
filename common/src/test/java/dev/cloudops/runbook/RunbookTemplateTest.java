package dev.cloudops.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Generalisation and binding for each executable action type: learned from one alert's evidence, a runbook gives
 * the same plan for that evidence, the plan with another alert's zone, distribution, ETag and certificate for
 * that alert's evidence, and no plan (with the reason) where a fact it relied on differs or its evidence is
 * missing.
 */
class RunbookTemplateTest {

    /** The identifiers of one account's site. */
    record Ids(String zone, String distribution, String etag, String certificate) {
        String pack() {
            return """
                    {"alert_id":"01JRUNBOOK","host":"shop.example.com","collected_at":"2026-12-01T10:00:00Z","items":[
                     {"id":"E1","source":"route53:ListHostedZonesByName","subject":"%1$s","at":"2026-12-01T10:00:00Z",
                      "status":"OK","summary":"zone","data":{"id":"%1$s","name":"example.com."}},
                     {"id":"E2","source":"route53:ListResourceRecordSets","subject":"%1$s","at":"2026-12-01T10:00:00Z",
                      "status":"OK","summary":"records","data":{"records":[
                        {"name":"old.example.com.","type":"CNAME","ttl":300,"values":["legacy.example.net"]}]}},
                     {"id":"E3","source":"cloudfront:GetDistribution","subject":"%2$s","at":"2026-12-01T10:00:00Z",
                      "status":"OK","summary":"distribution","data":{"id":"%2$s","enabled":false,"status":"Deployed",
                      "etag":"%3$s","domain_name":"d111111abcdef8.cloudfront.net",
                      "origins":[{"id":"shop-origin","domain_name":"old-shop.s3.eu-west-1.amazonaws.com"}]}},
                     {"id":"E4","source":"acm:DescribeCertificate","subject":"%4$s","at":"2026-12-01T10:00:00Z",
                      "status":"OK","summary":"certificate","data":{"arn":"%4$s","domain_name":"shop.example.com",
                      "status":"ISSUED","covers_host":"false"}}]}
                    """.formatted(zone, distribution, etag, certificate);
        }
    }

    static final Ids TAUGHT = new Ids("Z0123456789ABCDEFGHIJ", "E2QWRUHAPOMQZL", "E3ETAGEXAMPLE9",
            "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc");
    static final Ids OTHER = new Ids("Z9876543210ZYXWVUTSRQ", "E1ANOTHERDIST7", "E7OTHERETAG000",
            "arn:aws:acm:us-east-1:123456789012:certificate/0a0b0c0d-1111-4222-8333-444455556666");

    /** The executable action types, each as a one-step plan an analyser would write for {@code ids}. */
    enum Kind {
        UPSERT_RECORD, DELETE_RECORD, SET_ENABLED, CREATE_INVALIDATION, SET_ORIGIN, SET_VIEWER_CERTIFICATE,
        REQUEST_CERTIFICATE;

        Plan plan(Ids ids) {
            String zoneArn = "arn:aws:route53:::hostedzone/" + ids.zone();
            String distributionArn = "arn:aws:cloudfront::123456789012:distribution/" + ids.distribution();
            Action.RecordSet alias = new Action.RecordSet(ids.zone(), "shop.example.com", "A", null, null,
                    new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
            Action.RecordSet legacy = new Action.RecordSet(ids.zone(), "old.example.com", "CNAME", 300L,
                    List.of("legacy.example.net"), null);
            PlanStep step = switch (this) {
                case UPSERT_RECORD -> new PlanStep("S1", new Action.UpsertRecord(alias),
                        Precondition.of("E2", Map.of("record", "absent")), new Inverse.Undo(new Action.DeleteRecord(alias)),
                        Risk.MEDIUM, new Permission("route53:ChangeResourceRecordSets", zoneArn));
                case DELETE_RECORD -> new PlanStep("S1", new Action.DeleteRecord(legacy),
                        Precondition.of("E2", Map.of("record", "present")), new Inverse.Undo(new Action.UpsertRecord(legacy)),
                        Risk.MEDIUM, new Permission("route53:ChangeResourceRecordSets", zoneArn));
                case SET_ENABLED -> new PlanStep("S1", new Action.SetEnabled(ids.distribution(), true),
                        Precondition.of("E3", Map.of("enabled", "false", "etag", ids.etag())),
                        new Inverse.Undo(new Action.SetEnabled(ids.distribution(), false)), Risk.MEDIUM,
                        new Permission("cloudfront:UpdateDistribution", distributionArn));
                case CREATE_INVALIDATION -> new PlanStep("S1", new Action.CreateInvalidation(ids.distribution(),
                        List.of("/*")), Precondition.of("E3", Map.of("status", "Deployed")),
                        new Inverse.Irreversible("an invalidation only empties caches"), Risk.LOW,
                        new Permission("cloudfront:CreateInvalidation", distributionArn));
                case SET_ORIGIN -> new PlanStep("S1", new Action.SetOrigin(ids.distribution(), "shop-origin",
                        "shop-site.s3.eu-west-1.amazonaws.com"), Precondition.of("E3", Map.of("etag", ids.etag())),
                        new Inverse.Undo(new Action.SetOrigin(ids.distribution(), "shop-origin",
                                "old-shop.s3.eu-west-1.amazonaws.com")), Risk.HIGH,
                        new Permission("cloudfront:UpdateDistribution", distributionArn));
                case SET_VIEWER_CERTIFICATE -> new PlanStep("S1", new Action.SetViewerCertificate(ids.distribution(),
                        ids.certificate(), "TLSv1.2_2021"), Precondition.of("E4", Map.of("status", "ISSUED")),
                        new Inverse.Irreversible("the previous certificate has expired"), Risk.HIGH,
                        new Permission("cloudfront:UpdateDistribution", distributionArn));
                case REQUEST_CERTIFICATE -> new PlanStep("S1", new Action.RequestCertificate("shop.example.com",
                        List.of("www.shop.example.com")), Precondition.of("E4", Map.of("covers_host", "false")),
                        new Inverse.Irreversible("a requested certificate is left unused"), Risk.LOW,
                        new Permission("acm:RequestCertificate", "*"));
            };
            String subject = switch (this) {
                case UPSERT_RECORD, DELETE_RECORD -> "zone " + ids.zone();
                case REQUEST_CERTIFICATE -> "shop.example.com";
                default -> "distribution " + ids.distribution();
            };
            return new Plan("Fix " + subject + ".", List.of(step, new PlanStep("S2", new Action.ManualStep(
                    "Check " + subject + " (" + subject + ") serves."), null,
                    new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null)));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void boundToTheEvidenceItWasLearnedFrom_theRunbookGivesThePlanItWasLearnedFrom(Kind kind) {
        RunbookTemplate runbook = learn(kind);

        RunbookTemplate.Binding bound = runbook.bind(IssueType.HTTP_ERROR, pack(TAUGHT));

        assertThat(bound).isInstanceOfSatisfying(RunbookTemplate.Binding.Bound.class,
                b -> assertThat(PlanJson.canonical(b.plan())).isEqualTo(PlanJson.canonical(kind.plan(TAUGHT))));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void boundToAnotherAlertsEvidence_theRunbookGivesThePlanWithThatAlertsIdentifiers(Kind kind) {
        RunbookTemplate runbook = learn(kind);

        RunbookTemplate.Binding bound = runbook.bind(IssueType.HTTP_ERROR, pack(OTHER));

        assertThat(bound).isInstanceOfSatisfying(RunbookTemplate.Binding.Bound.class,
                b -> assertThat(PlanJson.canonical(b.plan())).isEqualTo(PlanJson.canonical(kind.plan(OTHER))));
        assertThat(runbook.plan()).doesNotContain(TAUGHT.distribution(), TAUGHT.zone(), TAUGHT.etag(),
                TAUGHT.certificate());
    }

    @Test
    void aFactThePlanReliedOn_thatDiffers_meansTheRunbookDoesNotApply_andSaysWhy() {
        RunbookTemplate enable = learn(Kind.SET_ENABLED);
        RunbookTemplate attach = learn(Kind.SET_VIEWER_CERTIFICATE);

        RunbookTemplate.Binding enabledAlready = enable.bind(IssueType.HTTP_ERROR,
                pack(TAUGHT.pack().replace("\"enabled\":false", "\"enabled\":true")));
        RunbookTemplate.Binding pending = attach.bind(IssueType.HTTP_ERROR,
                pack(TAUGHT.pack().replace("\"status\":\"ISSUED\"", "\"status\":\"PENDING_VALIDATION\"")));

        assertThat(enabledAlready).isInstanceOfSatisfying(RunbookTemplate.Binding.NoMatch.class, n -> assertThat(
                n.reason()).isEqualTo("cloudfront:GetDistribution /data/enabled is 'true'; the runbook's plan was "
                        + "verified where it was 'false'"));
        assertThat(pending).isInstanceOfSatisfying(RunbookTemplate.Binding.NoMatch.class, n -> assertThat(
                n.reason()).contains("acm:DescribeCertificate /data/status is 'PENDING_VALIDATION'"));
    }

    @Test
    void evidenceMissingASourceTheRunbookReads_orAnotherIssueType_doesNotMatch() {
        RunbookTemplate runbook = learn(Kind.SET_ENABLED);
        String withoutDistribution = TAUGHT.pack().replace("cloudfront:GetDistribution", "cloudfront:ListDistributions");

        assertThat(runbook.bind(IssueType.HTTP_ERROR, pack(withoutDistribution)))
                .isInstanceOfSatisfying(RunbookTemplate.Binding.NoMatch.class, n -> assertThat(n.reason())
                        .startsWith("the evidence has no cloudfront:GetDistribution"));
        assertThat(runbook.bind(IssueType.DNS_FAILURE, pack(TAUGHT)))
                .isInstanceOfSatisfying(RunbookTemplate.Binding.NoMatch.class, n -> assertThat(n.reason())
                        .isEqualTo("learned from HTTP_ERROR alerts; this one is DNS_FAILURE"));
    }

    @Test
    void theParameters_areReadWhereTheEvidenceHeldThem_andStatesArePredicates() {
        RunbookTemplate runbook = learn(Kind.SET_ENABLED);

        assertThat(runbook.parameters()).extracting(p -> p.from().source() + " " + p.from().pointer())
                .contains("cloudfront:GetDistribution /subject", "cloudfront:GetDistribution /id",
                        "cloudfront:GetDistribution /data/etag");
        assertThat(runbook.predicates()).extracting(p -> p.at().pointer() + "=" + p.expected())
                .containsExactlyInAnyOrder("/status=OK", "/data/enabled=false");
        assertThat(RunbookLearner.learn(IssueType.HTTP_ERROR, Kind.SET_ENABLED.plan(TAUGHT), pack(TAUGHT)))
                .as("deterministic").contains(runbook);
    }

    @Test
    void aPlanWithNothingToRun_orCitingEvidenceThePackLacks_teachesNothing() {
        Plan manual = new Plan("Call someone.", List.of(new PlanStep("S1", new Action.ManualStep("Call someone."),
                null, new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null)));
        Plan citesMissing = Kind.SET_ENABLED.plan(TAUGHT);
        String withoutE3 = TAUGHT.pack().replace("\"id\":\"E3\"", "\"id\":\"E9\"");

        assertThat(RunbookLearner.learn(IssueType.HTTP_ERROR, manual, pack(TAUGHT))).isEmpty();
        assertThat(RunbookLearner.learn(IssueType.HTTP_ERROR, citesMissing, pack(withoutE3))).isEmpty();
    }

    private static RunbookTemplate learn(Kind kind) {
        return RunbookLearner.learn(IssueType.HTTP_ERROR, kind.plan(TAUGHT), pack(TAUGHT)).orElseThrow();
    }

    private static EvidencePack pack(Ids ids) {
        return pack(ids.pack());
    }

    private static EvidencePack pack(String json) {
        return EvidencePack.fromJsonBytes(json.getBytes(StandardCharsets.UTF_8));
    }
}
