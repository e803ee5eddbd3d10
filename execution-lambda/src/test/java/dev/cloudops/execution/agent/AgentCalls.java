package dev.cloudops.execution.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.agent.bedrock.PromptBuilder;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Approved steps of every executable action, and the write-tool calls an obedient agent makes for them. */
final class AgentCalls {

    static final String ZONE = "Z0123456789ABCDEFGHIJ";
    static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    static final String CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";
    static final Action.RecordSet ALIAS = new Action.RecordSet(ZONE, "shop.example.com", "A", null, null,
            new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
    static final Action.RecordSet VALIDATION = new Action.RecordSet(ZONE, "_3639ac51.shop.example.com", "CNAME", 300L,
            List.of("_98d0e76f.mzlfeqexyx.acm-validations.aws."), null);

    private AgentCalls() {
    }

    /** One approved step of each executable action of the catalog, and a manual step. */
    static List<PlanStep> everyAction() {
        return List.of(
                step("S1", new Action.UpsertRecord(ALIAS)),
                step("S2", new Action.DeleteRecord(VALIDATION)),
                step("S3", new Action.SetEnabled(DISTRIBUTION, true)),
                step("S4", new Action.CreateInvalidation(DISTRIBUTION, List.of("/index.html", "/*"))),
                step("S5", new Action.SetOrigin(DISTRIBUTION, "shop-origin", "shop-site.s3.eu-west-1.amazonaws.com")),
                step("S6", new Action.SetViewerCertificate(DISTRIBUTION, CERTIFICATE, "TLSv1.2_2021")),
                step("S7", new Action.RequestCertificate("shop.example.com", List.of("www.shop.example.com"))),
                manual("S8", "Check that the bucket policy allows the distribution's OAC."));
    }

    static PlanStep step(String id, Action action) {
        return new PlanStep(id, action, Precondition.of("E1", Map.of("state", "as analysed")),
                new Inverse.Irreversible("test step"), Risk.LOW, new Permission("route53:ChangeResourceRecordSets", "*"));
    }

    static PlanStep manual(String id, String instructions) {
        return new PlanStep(id, new Action.ManualStep(instructions), null, new Inverse.Irreversible("for a person"),
                Risk.LOW, null);
    }

    static String function(PlanStep step) {
        return PromptBuilder.writeFunction(step.action().name());
    }

    /** The parameters of the call for {@code step}, as Bedrock passes them: every value as text. */
    static Map<String, String> parameters(PlanStep step) {
        JsonNode wire = PlanJson.toJson(new Plan(null, List.of(step))).at("/steps/0/parameters");
        Map<String, String> call = new LinkedHashMap<>();
        call.put("step_id", step.id());
        if (step.action() instanceof Action.UpsertRecord || step.action() instanceof Action.DeleteRecord) {
            call.put("record_set", wire.toString());
            return call;
        }
        wire.fields().forEachRemaining(e -> call.put(e.getKey(),
                e.getValue().isContainerNode() ? e.getValue().toString() : e.getValue().asText()));
        return call;
    }
}
