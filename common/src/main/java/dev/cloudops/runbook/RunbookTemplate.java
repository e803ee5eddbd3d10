package dev.cloudops.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A verified plan made general: the plan's wire JSON with every value that came from the evidence replaced by a
 * placeholder ({@code {{p1}}}), where each placeholder's value is read in a new alert's evidence pack, and the
 * facts the plan relied on (its preconditions' literal values) as predicates that pack must meet. Binding it to a
 * new alert of the same issue type gives the same plan, with that alert's zone, record, distribution, certificate
 * and ETag, or says why it does not apply. Made by {@link RunbookLearner}.
 *
 * @param issueType the alerts it applies to
 * @param plan the plan's canonical wire JSON, with placeholders
 * @param parameters each placeholder and where its value is read
 * @param predicates what the evidence must say for the plan to apply
 */
public record RunbookTemplate(IssueType issueType, String plan, List<Parameter> parameters,
        List<Predicate> predicates) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(p\\d+)}}");

    public RunbookTemplate {
        Objects.requireNonNull(issueType, "issueType");
        Objects.requireNonNull(plan, "plan");
        parameters = List.copyOf(parameters);
        predicates = List.copyOf(predicates);
    }

    /**
     * Where a value is read in an evidence pack: the {@code ordinal}-th item (from 0) of {@code source}, at
     * {@code pointer}, a JSON pointer into {@code {"id", "subject", "status", "data"}}.
     */
    public record Source(String source, int ordinal, String pointer) {
        public Source {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(pointer, "pointer");
        }

        /** The same item, another place in it. */
        public Source withPointer(String other) {
            return new Source(source, ordinal, other);
        }

        String describe() {
            return source + (ordinal == 0 ? "" : " #" + (ordinal + 1)) + " " + pointer;
        }
    }

    /** A placeholder and where its value is read; {@code stripDot} drops a DNS name's final dot. */
    public record Parameter(String name, Source from, boolean stripDot) {
    }

    /** The evidence at {@code at} must read {@code expected}, as it did when the plan was verified. */
    public record Predicate(Source at, String expected) {
    }

    /** The outcome of binding to an alert's evidence. */
    public sealed interface Binding {
        /** The plan for that alert, and each placeholder's value. */
        record Bound(Plan plan, Map<String, String> values) implements Binding {
            public Bound {
                values = Map.copyOf(values);
            }
        }

        /** Why the runbook does not apply to that alert. */
        record NoMatch(String reason) implements Binding {
        }
    }

    /** The plan for an alert of {@code type} with this evidence, or why this runbook does not apply to it. */
    public Binding bind(IssueType type, EvidencePack pack) {
        if (type != issueType) {
            return new Binding.NoMatch("learned from " + issueType + " alerts; this one is " + type);
        }
        Map<String, String> values = new TreeMap<>();
        for (Parameter p : parameters) {
            Optional<String> value = read(pack, p.from());
            if (value.isEmpty()) {
                return new Binding.NoMatch("the evidence has no " + p.from().describe());
            }
            String v = value.get();
            values.put(p.name(), p.stripDot() && v.endsWith(".") ? v.substring(0, v.length() - 1) : v);
        }
        for (Predicate predicate : predicates) {
            Optional<String> value = read(pack, predicate.at());
            if (value.isEmpty() || !value.get().equals(predicate.expected())) {
                return new Binding.NoMatch(predicate.at().describe() + " is " + value.map(v -> "'" + v + "'")
                        .orElse("missing") + "; the runbook's plan was verified where it was '" + predicate.expected()
                        + "'");
            }
        }
        JsonNode bound = map(tree(plan), text -> fill(text, values));
        PlanParse parsed = PlanJson.parse(PlanJson.canonical(bound));
        if (!(parsed instanceof PlanParse.Valid valid)) {
            return new Binding.NoMatch("the plan bound to this evidence is not valid: "
                    + String.join("; ", ((PlanParse.Invalid) parsed).errors()));
        }
        return new Binding.Bound(valid.plan(), values);
    }

    /** The value at {@code source} in {@code pack}, when there is a text or number there. */
    static Optional<String> read(EvidencePack pack, Source source) {
        int seen = 0;
        for (EvidenceItem item : pack.items()) {
            if (!item.source().equals(source.source())) {
                continue;
            }
            if (seen++ == source.ordinal()) {
                JsonNode node = view(item).at(source.pointer());
                return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** What a {@link Source} pointer reads: the item's id, subject, status and data. */
    static ObjectNode view(EvidenceItem item) {
        ObjectNode view = JSON.createObjectNode();
        view.put("id", item.id());
        view.put("subject", item.subject());
        view.put("status", item.status().name());
        if (item.data() != null) {
            view.set("data", item.data());
        }
        return view;
    }

    private static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code node} with every string value passed through {@code text}. */
    static JsonNode map(JsonNode node, UnaryOperator<String> text) {
        if (node.isTextual()) {
            return TextNode.valueOf(text.apply(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), map(e.getValue(), text)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(n -> copy.add(map(n, text)));
            return copy;
        }
        return node.deepCopy();
    }

    /** The placeholders a template text uses. */
    static List<String> placeholders(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
