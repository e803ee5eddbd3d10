package dev.cloudops.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.testing.EvidenceFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks every offered plan passes before the pipeline takes it, the session policy's size among them. */
class PlanChecksTest {

    private static final EvidencePack PACK = new EvidenceFixtures().zone().noRecord().pack();

    @Test
    void aPlanWithItsEvidenceAndAPolicyThatFits_isTaken() {
        Plan plan = records(3);

        assertThat(PlanChecks.check(report(plan), PACK)).isInstanceOfSatisfying(PlanParse.Valid.class,
                valid -> assertThat(valid.planHash()).isEqualTo(PlanJson.hash(plan)));
    }

    @Test
    void aPlanWhoseSessionPolicyWouldBeTooLarge_isRefusedWithItsSize_atAnalysis() {
        assertThat(PlanJson.parse(PlanJson.canonical(records(20)))).as("the schema alone accepts it")
                .isInstanceOf(PlanParse.Valid.class);

        PlanParse result = PlanChecks.check(report(records(20)), PACK);

        assertThat(result).isInstanceOfSatisfying(PlanParse.Invalid.class, invalid ->
                assertThat(invalid.errors()).singleElement().asString()
                        .matches("the plan's session policy would be \\d{4,5} characters, more than the 2048 STS "
                                + "accepts for an inline session policy: split the plan, or make it smaller"));
    }

    @Test
    void aPlanCitingEvidenceThePackLacks_isRefused_beforeItsPolicyIsMeasured() {
        Plan plan = new Plan("one", List.of(new PlanStep("S1", new Action.UpsertRecord(record(1)),
                Precondition.of("E9", Map.of("record", "absent")), new Inverse.Undo(new Action.DeleteRecord(record(1))),
                Risk.MEDIUM, new Permission("route53:ChangeResourceRecordSets",
                        "arn:aws:route53:::hostedzone/" + EvidenceFixtures.ZONE))));

        assertThat(PlanChecks.check(report(plan), PACK)).isInstanceOfSatisfying(PlanParse.Invalid.class, invalid ->
                assertThat(invalid.errors()).containsExactly(
                        "step S1 cites evidence E9, which the evidence pack does not have"));
    }

    private static Plan records(int n) {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            steps.add(new PlanStep("S" + i, new Action.UpsertRecord(record(i)),
                    Precondition.of("E2", Map.of("record", "absent")), new Inverse.Undo(new Action.DeleteRecord(record(i))),
                    Risk.MEDIUM, new Permission("route53:ChangeResourceRecordSets",
                            "arn:aws:route53:::hostedzone/" + EvidenceFixtures.ZONE)));
        }
        return new Plan("Recreate " + n + " records.", steps);
    }

    private static Action.RecordSet record(int i) {
        // Long names: the schema allows 20 steps, and 20 such names do not fit in one session policy.
        return new Action.RecordSet(EvidenceFixtures.ZONE, "checkout-frontend-" + i
                + ".eu-central-1.a-rather-long-label-for-the-storefront-service.internal-routing.shop.example.com", "A", 300L,
                List.of("192.0.2." + i), null);
    }

    private static String report(Plan plan) {
        return "## Executive Summary\nRecords are missing.\n\n```json\n" + PlanJson.canonical(plan) + "\n```\n";
    }
}
