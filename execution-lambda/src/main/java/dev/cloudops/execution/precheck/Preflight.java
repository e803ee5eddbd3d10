package dev.cloudops.execution.precheck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.execution.ExecutionLog;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutor;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Before anything changes: reads the current state of every executable step and compares it with the
 * step's precondition and with the state the analysis captured of every resource the step writes (whether
 * or not the precondition names it: an ETag, a record), and checks the step's call is allowed: by the role that
 * makes it and, when the steps run in a plan-scoped session, by the session policy too.
 * Any difference, a resource whose state at analysis was not captured, an unreadable fact or a denied
 * permission refuses the whole plan.
 */
public final class Preflight {

    /** The observation of each step (by id) to start from, or why the plan may not run. */
    public record Result(Map<String, Observation> observed, Optional<String> refusal) {
    }

    private final StepExecutors executors;
    private final PermissionChecker permissions;
    private final EvidenceFacts evidenceFacts;

    public Preflight(StepExecutors executors, PermissionChecker permissions, EvidenceFacts evidenceFacts) {
        this.executors = executors;
        this.permissions = permissions;
        this.evidenceFacts = evidenceFacts;
    }

    /**
     * {@code sessionPolicy} is the JSON of the session policy the steps will run under (empty: the function's own
     * credentials); {@code evidence} is the stored pack's {@code items} (may be missing: then only the step's own
     * state counts).
     */
    public Result run(Plan plan, Optional<String> sessionPolicy, JsonNode evidence, ExecutionLog log) {
        Map<String, Observation> observed = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            if (!step.action().executable()) {
                continue;
            }
            StepExecutor executor = executors.forAction(step.action());
            Map<String, String> expected = new LinkedHashMap<>(step.precondition().expected());
            Map<String, String> facts = new HashMap<>();
            String verdict;
            try {
                Observation observation = executor.observe(step);
                observed.put(step.id(), observation);
                facts.putAll(observation.facts());
                JsonNode item = item(evidence, step.precondition().evidenceId());
                if (item != null) {
                    evidenceFacts.read(item).forEach(facts::putIfAbsent);
                }
                List<String> drift = drift(expected, facts);
                sinceAnalysis(executor, step, evidence, observation.facts()).stream()
                        .filter(d -> !drift.contains(d)).forEach(drift::add);
                verdict = drift.isEmpty() ? "as analysed" : "DRIFT: " + String.join("; ", drift);
                drift.forEach(d -> problems.add(step.id() + ": " + d));
            } catch (SdkException e) {
                verdict = "UNREADABLE: " + e.getMessage();
                problems.add(step.id() + ": its current state could not be read (" + e.getMessage() + ")");
            }
            String permission = switch (permissions.check(step.permission(), executor.conditionKeys(step.action()),
                    sessionPolicy)) {
                case PermissionChecker.Result.Allowed a -> "allowed (" + a.detail() + ")";
                case PermissionChecker.Result.Denied d -> {
                    problems.add(step.id() + ": its credentials may not: " + d.detail());
                    yield "DENIED (" + d.detail() + ")";
                }
                case PermissionChecker.Result.NotChecked n -> "not checked (" + n.reason() + ")";
            };
            log.preflight(step, expected, facts, verdict, permission);
        }
        return new Result(observed, problems.isEmpty() ? Optional.empty()
                : Optional.of("preflight refused the plan: " + String.join("; ", problems)));
    }

    /** What changed since the analysis in what the step writes, compared with the evidence captured then. */
    private static List<String> sinceAnalysis(StepExecutor executor, PlanStep step, JsonNode evidence,
            Map<String, String> now) {
        Optional<Map<String, String>> analysed = executor.analysed(step, evidence);
        if (analysed.isEmpty()) {
            return List.of("the analysis captured no state of " + String.join(", ",
                    executor.resources(step.action())) + ", so a change since cannot be ruled out");
        }
        List<String> drift = new ArrayList<>();
        new TreeMap<>(analysed.get()).forEach((key, was) -> {
            String is = now.get(key);
            if (is == null || !normal(was).equals(normal(is))) {
                drift.add(key + " was '" + was + "' at analysis, is '" + (is == null ? "unknown" : is) + "' now");
            }
        });
        return drift;
    }

    private static List<String> drift(Map<String, String> expected, Map<String, String> facts) {
        List<String> drift = new ArrayList<>();
        expected.forEach((key, want) -> {
            String have = facts.get(key);
            if (have == null) {
                drift.add(key + " cannot be checked (expected '" + want + "')");
            } else if (!normal(have).equals(normal(want))) {
                drift.add(key + " was '" + want + "' at analysis, is '" + have + "' now");
            }
        });
        return drift;
    }

    /** Compared without case, surrounding space or a DNS name's trailing dot. */
    private static String normal(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
    }

    private static JsonNode item(JsonNode evidence, String id) {
        if (evidence == null || !evidence.isArray()) {
            return null;
        }
        for (JsonNode item : evidence) {
            if (id.equals(item.path("id").asText())) {
                return item;
            }
        }
        return null;
    }
}
