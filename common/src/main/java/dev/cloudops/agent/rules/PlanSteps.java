package dev.cloudops.agent.rules;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Risk;
import java.util.List;

/**
 * The plan pieces several rules build the same way: a plan that is only instructions for a person, and the
 * permission to change records of a hosted zone. Kept in one place so every rule words and scopes them alike.
 */
final class PlanSteps {

    private PlanSteps() {
    }

    /** A one-step plan that executes nothing: the instructions are for a person. */
    static Plan manualPlan(String instructions) {
        return new Plan(instructions, List.of(new PlanStep("S1", new Action.ManualStep(instructions), null,
                new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null)));
    }

    /** The permission a step needs to change records of hosted zone {@code zoneId}. */
    static Permission zonePermission(String zoneId) {
        return new Permission("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + zoneId);
    }
}
