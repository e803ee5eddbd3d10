package dev.cloudops.agent;

import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a report's plan must pass before the pipeline accepts it, whoever wrote the report: exactly one fenced
 * JSON block, valid against the published plan schema, and every evidence item a step's precondition cites present
 * in the pack. The analysis applies them to every answer; replay applies them to recorded answers.
 */
public final class PlanChecks {

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
        return errors.isEmpty() ? valid : new PlanParse.Invalid(errors);
    }
}
