package dev.cloudops.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.agent.PlanChecks;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanParse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one report came to, in the terms replay compares: the diagnosis title (the executive summary's first
 * sentence), the root cause, and either the plan the plan checks accepted (its canonical hash, summary, whether a
 * step would be executed, and its actions) or why there is no executable plan.
 */
public record AnalysisOutcome(String diagnosis, String rootCause, PlanFacts plan, String noPlan) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public AnalysisOutcome {
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(rootCause, "rootCause");
        if ((plan == null) == (noPlan == null)) {
            throw new IllegalArgumentException("an outcome has either a plan or the reason it has none");
        }
    }

    /** The facts of an accepted plan that replay compares. */
    public record PlanFacts(String hash, String summary, boolean executable, List<String> actions) {

        public PlanFacts {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(summary, "summary");
            actions = List.copyOf(actions);
        }
    }

    /** The outcome of a report: its diagnosis and its plan block put through the pipeline's plan checks. */
    public static AnalysisOutcome of(String markdown, EvidencePack evidence) {
        String summary = ReportReader.section(markdown, "Executive Summary").replaceAll("\\s+", " ").strip();
        int end = summary.indexOf(". ");
        String diagnosis = end < 0 ? summary : summary.substring(0, end);
        String rootCause = ReportReader.section(markdown, "Root Cause").replaceAll("\\s+", " ").strip();
        return switch (PlanChecks.check(markdown, evidence)) {
            case PlanParse.Valid valid -> new AnalysisOutcome(diagnosis, rootCause, new PlanFacts(valid.planHash(),
                    valid.plan().summary() == null ? "" : valid.plan().summary(), valid.plan().executable(),
                    valid.plan().steps().stream().map(s -> s.action().name()).toList()), null);
            case PlanParse.Invalid invalid -> new AnalysisOutcome(diagnosis, rootCause, null,
                    String.join("; ", invalid.errors()));
        };
    }

    /** One line for people: the diagnosis and the plan, or why there is none. */
    public String describe() {
        return "'" + diagnosis + "', " + describePlan();
    }

    String describePlan() {
        return plan == null ? "no executable plan (" + noPlan + ")"
                : "plan " + shortHash(plan.hash()) + (plan.executable() ? "" : " (manual steps only)");
    }

    static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** How this outcome (today's) differs from {@code recorded}, one phrase per differing field; empty when alike. */
    public List<String> differencesFrom(AnalysisOutcome recorded) {
        List<String> out = new ArrayList<>();
        if (!recorded.diagnosis.equals(diagnosis)) {
            out.add("diagnosis title '" + recorded.diagnosis + "' -> '" + diagnosis + "'");
        }
        if ((recorded.plan == null) != (plan == null)) {
            out.add("executable plan " + recorded.describePlan() + " -> " + describePlan());
        } else if (plan != null) {
            if (!recorded.plan.hash().equals(plan.hash())) {
                out.add("plan hash " + shortHash(recorded.plan.hash()) + " -> " + shortHash(plan.hash()));
            }
            if (!recorded.plan.summary().equals(plan.summary())) {
                out.add("plan summary '" + recorded.plan.summary() + "' -> '" + plan.summary() + "'");
            }
            if (recorded.plan.executable() != plan.executable()) {
                out.add("executable " + recorded.plan.executable() + " -> " + plan.executable());
            }
            if (!recorded.plan.actions().equals(plan.actions())) {
                out.add("plan actions " + recorded.plan.actions() + " -> " + plan.actions());
            }
        } else if (!recorded.noPlan.equals(noPlan)) {
            out.add("why no plan '" + recorded.noPlan + "' -> '" + noPlan + "'");
        }
        if (!recorded.rootCause.equals(rootCause)) {
            out.add("root cause '" + recorded.rootCause + "' -> '" + rootCause + "'");
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode().put("diagnosis", diagnosis).put("root_cause", rootCause);
        if (plan == null) {
            node.putNull("plan");
            node.put("no_plan", noPlan);
        } else {
            ObjectNode p = node.putObject("plan").put("hash", plan.hash()).put("summary", plan.summary())
                    .put("executable", plan.executable());
            plan.actions().forEach(p.putArray("actions")::add);
        }
        return node;
    }

    /** Reads what {@link #toJson} writes; {@code path} names the object in messages. */
    public static AnalysisOutcome fromJson(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(path + ": missing or not an object");
        }
        JsonNode plan = node.get("plan");
        if (plan == null) {
            throw new IllegalArgumentException(path + ".plan: missing (null when there is no executable plan)");
        }
        PlanFacts facts = null;
        if (!plan.isNull()) {
            if (!plan.isObject()) {
                throw new IllegalArgumentException(path + ".plan: not an object");
            }
            JsonNode executable = plan.get("executable");
            if (executable == null || !executable.isBoolean()) {
                throw new IllegalArgumentException(path + ".plan.executable: missing or not true/false");
            }
            JsonNode actions = plan.get("actions");
            if (actions == null || !actions.isArray()) {
                throw new IllegalArgumentException(path + ".plan.actions: missing or not an array");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < actions.size(); i++) {
                if (!actions.get(i).isTextual()) {
                    throw new IllegalArgumentException(path + ".plan.actions[" + i + "]: not a string");
                }
                names.add(actions.get(i).asText());
            }
            facts = new PlanFacts(text(plan, path + ".plan", "hash"), text(plan, path + ".plan", "summary"),
                    executable.asBoolean(), names);
        }
        return new AnalysisOutcome(text(node, path, "diagnosis"), text(node, path, "root_cause"), facts,
                facts == null ? text(node, path, "no_plan") : null);
    }

    static String text(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(path + "." + field + ": missing or not a string");
        }
        return value.asText();
    }
}
