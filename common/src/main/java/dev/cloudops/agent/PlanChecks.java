package dev.cloudops.agent;

import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.SessionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks a report's plan must pass before the pipeline accepts it, whoever wrote the report: exactly one fenced
 * JSON block, valid against the published plan schema, every evidence item a step's precondition cites present
 * in the pack, and a session policy for it ({@link SessionPolicy}) that STS would accept: a plan whose policy would
 * be longer than an inline session policy may be is refused here, with its size, never truncated later. The
 * analysis applies them to every answer; replay applies them to recorded answers.
 */
public final class PlanChecks {

    /** Any 12-digit account: the policy's size does not depend on which. */
    private static final String SIZING_ACCOUNT = "000000000000";
    private static final Duration SIZING_TIMEOUT = Duration.ofMinutes(15);

    private PlanChecks() {
    }

    /** The report's one plan block, validated, with every cited evidence item present in the pack. */
    public static PlanParse check(String markdown, EvidencePack pack) {
        List<String> blocks = ReportReader.jsonBlocks(markdown);
        if (blocks.size() != 1) {
            return new PlanParse.Invalid(List.of(blocks.isEmpty() ? "the report has no plan block"
                    : "the report has " + blocks.size() + " JSON blocks; exactly one plan is expected"));
        }
        PlanParse parsed = PlanJson.parse(blocks.getFirst());
        if (!(parsed instanceof PlanParse.Valid valid)) {
            return parsed;
        }
        List<String> errors = new ArrayList<>();
        for (PlanStep step : valid.plan().steps()) {
            if (step.precondition() != null && pack.item(step.precondition().evidenceId()).isEmpty()) {
                errors.add("step " + step.id() + " cites evidence " + step.precondition().evidenceId()
                        + ", which the evidence pack does not have");
            }
        }
        if (errors.isEmpty()) {
            sessionPolicyProblem(valid.plan()).ifPresent(errors::add);
        }
        return errors.isEmpty() ? valid : new PlanParse.Invalid(errors);
    }

    /**
     * Why no session policy STS accepts can be made for {@code plan}, if so. The size depends on the partition's name
     * and not on the account (always 12 digits), so it is measured for the commercial partition ({@code aws}) with a
     * placeholder account; in GovCloud or China each ARN is a few characters longer, and a plan within that margin
     * of the limit is refused by STS when it runs instead.
     */
    static Optional<String> sessionPolicyProblem(Plan plan) {
        try {
            return switch (SessionPolicy.forPlan(plan, "aws", SIZING_ACCOUNT, SIZING_TIMEOUT)) {
                case SessionPolicy.TooLarge large -> Optional.of("the plan's session policy would be "
                        + large.characters() + " characters, more than the " + large.limit() + " STS accepts for an "
                        + "inline session policy: split the plan, or make it smaller");
                case SessionPolicy.Scoped scoped -> Optional.empty();
                case SessionPolicy.NothingToGrant nothing -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.of("no session policy can be scoped to the plan: " + e.getMessage());
        }
    }
}
