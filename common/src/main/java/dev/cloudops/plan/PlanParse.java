package dev.cloudops.plan;

import java.util.List;

/** The outcome of reading a plan: a valid plan with its canonical form and hash, or every reason it is not one. */
public sealed interface PlanParse {

    record Valid(Plan plan, String canonicalJson, String planHash) implements PlanParse {
    }

    /** Not an executable plan; {@code errors} say why (schema violations with their JSON paths). */
    record Invalid(List<String> errors) implements PlanParse {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
