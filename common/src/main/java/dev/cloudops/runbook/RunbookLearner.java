package dev.cloudops.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generalises a plan that was verified into a {@link RunbookTemplate}, from the evidence it was made from:
 *
 * <ul>
 * <li>every text value of a step's action and its undo that the evidence holds (exactly, or
 * with a DNS name's final dot) becomes a parameter read where it was found: the first item of the pack, in
 * order, whose id, subject, status or data holds it; the same value found twice is one parameter;</li>
 * <li>each precondition's evidence id becomes a parameter read from the item it cited (a new pack may number
 * its items otherwise);</li>
 * <li>the rest of the text (the summary, a person's instructions, permission ARNs) keeps its words, with each
 * parameter's value of four characters or more replaced where it stands as a whole token;</li>
 * <li>each cited item's status, and each precondition value that is a state (a word such as {@code false} or
 * {@code PENDING_VALIDATION}) which its data holds under the same key, becomes a predicate: the plan applies only
 * where the evidence says the same. Other precondition values (an ETag) are parameters like the action's.</li>
 * </ul>
 *
 * Values the evidence does not hold (an action's {@code enabled: true}, a path to invalidate) stay as they are.
 * Deterministic: the same plan and pack give the same template.
 */
public final class RunbookLearner {

    /**
     * A precondition value that is a state (a word: {@code false}, {@code ISSUED}, {@code PENDING_VALIDATION},
     * {@code absent}) is what the plan needs to find, so it is a predicate; any other (an ETag, an id) is the
     * version the plan acts on, so it is a parameter.
     */
    private static final Pattern STATE = Pattern.compile("[A-Za-z_ ]+");

    /** Shorter values (a record type, a TTL) are replaced only where they are a whole value, never inside text. */
    private static final int MIN_TOKEN = 4;

    private RunbookLearner() {
    }

    /**
     * The template of {@code plan}, verified for an alert of {@code type} with {@code pack}; empty when the plan has
     * no step that runs, or cites evidence the pack does not have.
     */
    public static Optional<RunbookTemplate> learn(IssueType type, Plan plan, EvidencePack pack) {
        if (!plan.executable()) {
            return Optional.empty();
        }
        for (PlanStep step : plan.steps()) {
            if (step.precondition() != null && pack.item(step.precondition().evidenceId()).isEmpty()) {
                return Optional.empty();
            }
        }
        ObjectNode json = PlanJson.toJson(plan);
        Map<String, RunbookTemplate.Parameter> byValue = new LinkedHashMap<>();
        List<RunbookTemplate.Predicate> predicates = new ArrayList<>();
        for (JsonNode step : json.path("steps")) {
            parameterise(step.path("parameters"), pack, byValue);
            parameterise(step.path("inverse").path("parameters"), pack, byValue);
            JsonNode precondition = step.path("precondition");
            if (precondition.isObject()) {
                EvidenceItem cited = pack.item(precondition.path("evidence").asText()).orElseThrow();
                RunbookTemplate.Source item = new RunbookTemplate.Source(cited.source(), ordinal(pack, cited), "/id");
                String name = "p" + (byValue.size() + 1);
                byValue.putIfAbsent("\u0000evidence:" + cited.id(), new RunbookTemplate.Parameter(name, item, false));
                ((ObjectNode) precondition).put("evidence", "{{" + byValue.get("\u0000evidence:" + cited.id()).name()
                        + "}}");
                predicate(predicates, item.withPointer("/status"), cited.status().name());
                JsonNode data = RunbookTemplate.view(cited).path("data");
                ObjectNode expected = (ObjectNode) precondition.path("expected");
                for (String key : expected.properties().stream().map(Map.Entry::getKey).toList()) {
                    String value = expected.path(key).asText();
                    if (STATE.matcher(value).matches()) {
                        JsonNode have = data.path(key);
                        if (have.isValueNode() && have.asText().equals(value)) {
                            predicate(predicates, item.withPointer("/data/" + escape(key)), value);
                        }
                    } else {
                        placeholder(value, pack, byValue).ifPresent(p -> expected.put(key, "{{" + p + "}}"));
                    }
                }
            }
        }
        List<Map.Entry<String, RunbookTemplate.Parameter>> tokens = byValue.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("\u0000") && e.getKey().length() >= MIN_TOKEN)
                .sorted(Comparator.comparing((Map.Entry<String, RunbookTemplate.Parameter> e) -> -e.getKey().length())
                        .thenComparing(Map.Entry::getKey))
                .toList();
        JsonNode template = RunbookTemplate.map(json, text -> replaceTokens(text, tokens));
        return Optional.of(new RunbookTemplate(type, PlanJson.canonical(template), List.copyOf(byValue.values()),
                predicates));
    }

    /** Replaces, in {@code node}'s text values, each value the evidence holds with a placeholder. */
    private static void parameterise(JsonNode node, EvidencePack pack, Map<String, RunbookTemplate.Parameter> byValue) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : List.copyOf(node.properties())) {
                if (e.getValue().isTextual()) {
                    placeholder(e.getValue().asText(), pack, byValue)
                            .ifPresent(p -> ((ObjectNode) node).put(e.getKey(), "{{" + p + "}}"));
                } else {
                    parameterise(e.getValue(), pack, byValue);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                if (child.isTextual()) {
                    int at = i;
                    placeholder(child.asText(), pack, byValue)
                            .ifPresent(p -> ((ArrayNode) node).set(at, TextNode.valueOf("{{" + p + "}}")));
                } else {
                    parameterise(child, pack, byValue);
                }
            }
        }
    }

    private static Optional<String> placeholder(String value, EvidencePack pack,
            Map<String, RunbookTemplate.Parameter> byValue) {
        if (value.isEmpty() || value.contains("{{")) {
            return Optional.empty();
        }
        RunbookTemplate.Parameter known = byValue.get(value);
        if (known != null) {
            return Optional.of(known.name());
        }
        Optional<RunbookTemplate.Parameter> found = find(value, pack)
                .map(f -> new RunbookTemplate.Parameter("p" + (byValue.size() + 1), f.source(), f.stripDot()));
        found.ifPresent(p -> byValue.put(value, p));
        return found.map(RunbookTemplate.Parameter::name);
    }

    private record Found(RunbookTemplate.Source source, boolean stripDot) {
    }

    /** The first place in the pack that holds {@code value}, exactly or with a final dot. */
    private static Optional<Found> find(String value, EvidencePack pack) {
        for (EvidenceItem item : pack.items()) {
            int ordinal = ordinal(pack, item);
            Optional<Found> found = find(value, RunbookTemplate.view(item), "", item.source(), ordinal);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Found> find(String value, JsonNode node, String pointer, String source, int ordinal) {
        if (node.isTextual()) {
            String text = node.asText();
            if (text.equals(value) || text.equals(value + ".")) {
                return Optional.of(new Found(new RunbookTemplate.Source(source, ordinal, pointer),
                        !text.equals(value)));
            }
            return Optional.empty();
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Optional<Found> found = find(value, e.getValue(), pointer + "/" + escape(e.getKey()), source, ordinal);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Found> found = find(value, node.get(i), pointer + "/" + i, source, ordinal);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The item's place among the pack's items of its source. */
    private static int ordinal(EvidencePack pack, EvidenceItem item) {
        int n = 0;
        for (EvidenceItem other : pack.items()) {
            if (other.id().equals(item.id())) {
                return n;
            }
            if (other.source().equals(item.source())) {
                n++;
            }
        }
        throw new IllegalArgumentException("item " + item.id() + " is not in the pack");
    }

    private static void predicate(List<RunbookTemplate.Predicate> predicates, RunbookTemplate.Source at,
            String expected) {
        RunbookTemplate.Predicate p = new RunbookTemplate.Predicate(at, expected);
        if (!predicates.contains(p)) {
            predicates.add(p);
        }
    }

    private static String replaceTokens(String text, List<Map.Entry<String, RunbookTemplate.Parameter>> tokens) {
        String out = text;
        for (Map.Entry<String, RunbookTemplate.Parameter> token : tokens) {
            Matcher m = Pattern.compile("(?<![A-Za-z0-9_{-])" + Pattern.quote(token.getKey()) + "(?![A-Za-z0-9_}-])")
                    .matcher(out);
            out = m.replaceAll(Matcher.quoteReplacement("{{" + token.getValue().name() + "}}"));
        }
        return out;
    }

    /** A JSON pointer's reference token (RFC 6901). */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
