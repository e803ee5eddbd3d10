package dev.cloudops.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * IAM's evaluation of identity-policy documents, for tests: moto does not evaluate policies, and the session
 * policies this project generates must be shown to allow exactly what the executors do and refuse what a plan
 * changed after approval would do. Decides one request (action, resource ARN, the request's condition keys) as
 * IAM does for identity policies: an explicit {@code Deny} that matches wins; otherwise a matching {@code Allow}
 * allows; otherwise the request is implicitly denied.
 *
 * <p>What it reads, and how:
 * <ul>
 * <li>{@code Version} ({@code 2012-10-17} or {@code 2008-10-17}), {@code Id}, {@code Statement} (one object or
 * a list), and per statement {@code Sid}, {@code Effect} ({@code Allow}/{@code Deny}), {@code Action},
 * {@code Resource}, {@code Condition}.</li>
 * <li>{@code Action}: a string or list of {@code service:action} patterns with {@code *} (any run of
 * characters) and {@code ?} (one character), matched case-insensitively.</li>
 * <li>{@code Resource}: a string or list of ARN patterns with the same wildcards, matched
 * case-sensitively.</li>
 * <li>{@code Condition}: the operators {@code StringEquals}, {@code StringNotEquals}, {@code StringLike},
 * {@code StringNotLike}, {@code ForAllValues:StringEquals}, {@code ForAllValues:StringLike},
 * {@code ForAnyValue:StringEquals}, {@code ForAnyValue:StringLike}, {@code Null}, {@code Bool}. Several
 * operators in a block, and several keys in one operator, must all hold (AND); several values for one key are
 * alternatives (OR; for the negated operators: none of them may match). Condition key names are matched
 * case-insensitively, values case-sensitively ({@code Bool} compares {@code true}/{@code false} without
 * case).</li>
 * </ul>
 *
 * <p>Absent keys, as IAM documents them: {@code ForAllValues} holds when the key is absent from the request or
 * has no values; {@code ForAnyValue} and the positive single-valued operators ({@code StringEquals},
 * {@code StringLike}, {@code Bool}) do not hold; the negated ones ({@code StringNotEquals},
 * {@code StringNotLike}) hold. {@code Null: true} holds when the key is absent or has no values,
 * {@code Null: false} when it has at least one.
 *
 * <p>A single-valued operator on a request key that carries several values: IAM says multivalued keys "require
 * a condition set operator" and does not define the other case. This fake makes a choice, and says so: the
 * positive operators hold when any of the request's values matches (as {@code ForAnyValue}; the reading usually
 * reported for IAM), the negated ones when none does (the negation of the positive, as for one value). A test
 * that depends on this case should rather use a set operator; the session policies of this project do.
 *
 * <p>Anything else ({@code NotAction}, {@code NotResource}, {@code Principal}, {@code NotPrincipal}, another
 * operator, an {@code ...IfExists} suffix, a policy variable {@code ${...}}, a missing {@code Action} or
 * {@code Resource}, an unknown top-level element) throws {@link IllegalArgumentException}: the fake never guesses.
 */
public final class IamPolicyFake {

    /** IAM's three outcomes, named as IAM's policy simulator names them ({@link #iamName()}). */
    public enum Decision {
        ALLOWED("allowed"), EXPLICIT_DENY("explicitDeny"), IMPLICIT_DENY("implicitDeny");

        private final String iamName;

        Decision(String iamName) {
            this.iamName = iamName;
        }

        /** The name IAM gives the decision ({@code EvalDecision}): allowed, explicitDeny, implicitDeny. */
        public String iamName() {
            return iamName;
        }

        @Override
        public String toString() {
            return iamName;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT = Set.of("Sid", "Effect", "Action", "Resource", "Condition");
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");

    private IamPolicyFake() {
    }

    /**
     * The decision of one policy document on a request.
     *
     * @param context the request's condition keys and their values; a key that is not in the map is absent
     * @throws IllegalArgumentException when the document is not JSON or uses something this fake does not support
     */
    public static Decision evaluate(String document, String action, String resource,
            Map<String, List<String>> context) {
        return evaluateTogether(List.of(document), action, resource, context);
    }

    /**
     * The decision of several documents that apply to the same principal together (its attached and inline
     * policies, or the {@code PolicyInputList} of a simulation): an explicit Deny in any wins, else an Allow in
     * any allows, else implicit deny.
     */
    public static Decision evaluateTogether(List<String> documents, String action, String resource,
            Map<String, List<String>> context) {
        boolean allowed = false;
        for (String document : documents) {
            for (JsonNode statement : statements(parse(document))) {
                if (matches(statement, action, resource, context)) {
                    if (statement.get("Effect").asText().equals("Deny")) {
                        return Decision.EXPLICIT_DENY;
                    }
                    allowed = true;
                }
            }
        }
        return allowed ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    }

    /**
     * The decision of documents that each bound the permissions on their own, as a role's policies and the
     * session policy passed to AssumeRole do: the effective permissions are their intersection. An explicit Deny
     * in any wins; the request is allowed only when every document allows it; else implicit deny.
     */
    public static Decision evaluateIntersection(List<String> documents, String action, String resource,
            Map<String, List<String>> context) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("an intersection of no policies is not defined");
        }
        List<Decision> decisions = documents.stream().map(d -> evaluate(d, action, resource, context)).toList();
        if (decisions.contains(Decision.EXPLICIT_DENY)) {
            return Decision.EXPLICIT_DENY;
        }
        return decisions.stream().allMatch(d -> d == Decision.ALLOWED) ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    }

    /** Whether {@code document} allows the request. */
    public static boolean allowed(String document, String action, String resource,
            Map<String, List<String>> context) {
        return evaluate(document, action, resource, context) == Decision.ALLOWED;
    }

    /** Whether every one of {@code documents} allows the request (and none denies it): {@link #evaluateIntersection}. */
    public static boolean allowedByAll(List<String> documents, String action, String resource,
            Map<String, List<String>> context) {
        return evaluateIntersection(documents, action, resource, context) == Decision.ALLOWED;
    }

    /**
     * Checks that {@code document} is one this fake can evaluate, without evaluating a request.
     *
     * @throws IllegalArgumentException as {@link #evaluate} would
     */
    public static void validate(String document) {
        for (JsonNode statement : statements(parse(document))) {
            patterns(statement, "Action");
            patterns(statement, "Resource");
            // every operator and value is checked by evaluating against an empty request
            conditionHolds(statement.path("Condition"), Map.of());
        }
    }

    // ---- parsing ----------------------------------------------------------------------------------------

    private static JsonNode parse(String document) {
        JsonNode root;
        try {
            root = MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON policy document: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a policy document is a JSON object");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!TOP_LEVEL.contains(name)) {
                throw new IllegalArgumentException("unsupported policy element: " + name);
            }
        });
        if (root.has("Version") && !VERSIONS.contains(root.get("Version").asText())) {
            throw new IllegalArgumentException("unknown policy Version: " + root.get("Version"));
        }
        return root;
    }

    private static List<JsonNode> statements(JsonNode root) {
        JsonNode node = root.get("Statement");
        if (node == null) {
            throw new IllegalArgumentException("a policy document needs a Statement");
        }
        List<JsonNode> statements = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(statements::add);
        } else {
            statements.add(node);
        }
        for (JsonNode s : statements) {
            if (!s.isObject()) {
                throw new IllegalArgumentException("a statement is a JSON object: " + s);
            }
            s.fieldNames().forEachRemaining(name -> {
                if (!STATEMENT.contains(name)) {
                    throw new IllegalArgumentException("unsupported statement element: " + name);
                }
            });
            String effect = s.path("Effect").asText("");
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("a statement's Effect is Allow or Deny, not '" + effect + "'");
            }
        }
        return statements;
    }

    /** The string or list of strings of a statement's {@code field}; required. */
    private static List<String> patterns(JsonNode statement, String field) {
        JsonNode node = statement.get(field);
        if (node == null) {
            throw new IllegalArgumentException("a statement without " + field + " is not supported: " + statement);
        }
        List<String> values = strings(node, field);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an empty " + field + " list: " + statement);
        }
        for (String v : values) {
            if (v.contains("${")) {
                throw new IllegalArgumentException("policy variables are not supported: " + v);
            }
        }
        return values;
    }

    /** A scalar or an array of scalars, as text. */
    private static List<String> strings(JsonNode node, String what) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                out.add(scalar(n, what));
            }
        } else {
            out.add(scalar(node, what));
        }
        return out;
    }

    private static String scalar(JsonNode node, String what) {
        if (!node.isValueNode() || node.isNull()) {
            throw new IllegalArgumentException(what + " takes strings, not " + node);
        }
        return node.asText();
    }

    // ---- evaluation -------------------------------------------------------------------------------------

    private static boolean matches(JsonNode statement, String action, String resource,
            Map<String, List<String>> context) {
        boolean actionMatches = patterns(statement, "Action").stream()
                .anyMatch(p -> glob(p, true).matcher(action).matches());
        boolean resourceMatches = patterns(statement, "Resource").stream()
                .anyMatch(p -> glob(p, false).matcher(resource).matches());
        // the condition is always read, so an unsupported operator throws whatever the request
        boolean conditionHolds = conditionHolds(statement.path("Condition"), context);
        return actionMatches && resourceMatches && conditionHolds;
    }

    private static boolean conditionHolds(JsonNode condition, Map<String, List<String>> context) {
        if (condition.isMissingNode()) {
            return true;
        }
        if (!condition.isObject()) {
            throw new IllegalArgumentException("a Condition is a JSON object: " + condition);
        }
        Map<String, List<String>> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        context.forEach((k, v) -> request.put(k, v == null ? List.of() : v));
        boolean holds = true;
        for (Map.Entry<String, JsonNode> op : condition.properties()) {
            if (!op.getValue().isObject() || op.getValue().isEmpty()) {
                throw new IllegalArgumentException("operator " + op.getKey() + " takes an object of keys and values");
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                List<String> policyValues = strings(key.getValue(), op.getKey() + " " + key.getKey());
                for (String v : policyValues) {
                    if (v.contains("${")) {
                        throw new IllegalArgumentException("policy variables are not supported: " + v);
                    }
                }
                // every operator is evaluated (and so checked) even once the result is known
                holds &= operator(op.getKey(), policyValues, request.get(key.getKey()));
            }
        }
        return holds;
    }

    /**
     * One operator on one key.
     *
     * @param have the request's values, {@code null} when the key is absent
     */
    private static boolean operator(String operator, List<String> allowed, List<String> have) {
        List<String> values = have == null ? List.of() : have;
        return switch (operator) {
            case "StringEquals" -> values.stream().anyMatch(allowed::contains);
            case "StringNotEquals" -> values.stream().noneMatch(allowed::contains);
            case "StringLike" -> values.stream().anyMatch(v -> like(allowed, v));
            case "StringNotLike" -> values.stream().noneMatch(v -> like(allowed, v));
            case "ForAllValues:StringEquals" -> allowed.containsAll(values);
            case "ForAllValues:StringLike" -> values.stream().allMatch(v -> like(allowed, v));
            case "ForAnyValue:StringEquals" -> values.stream().anyMatch(allowed::contains);
            case "ForAnyValue:StringLike" -> values.stream().anyMatch(v -> like(allowed, v));
            case "Null" -> {
                if (allowed.size() != 1 || !Set.of("true", "false").contains(allowed.getFirst().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("Null takes true or false, not " + allowed);
                }
                yield values.isEmpty() == Boolean.parseBoolean(allowed.getFirst());
            }
            case "Bool" -> {
                for (String a : allowed) {
                    if (!Set.of("true", "false").contains(a.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("Bool takes true or false, not " + a);
                    }
                }
                yield values.stream().anyMatch(v -> allowed.stream().anyMatch(a -> a.equalsIgnoreCase(v)));
            }
            default -> throw new IllegalArgumentException("unsupported condition operator: " + operator
                    + (operator.endsWith("IfExists") ? " (IfExists is not implemented)" : ""));
        };
    }

    private static boolean like(List<String> patterns, String value) {
        return patterns.stream().anyMatch(p -> glob(p, false).matcher(value).matches());
    }

    /** IAM's wildcards: {@code *} any run of characters (none included), {@code ?} exactly one. */
    private static Pattern glob(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
}
