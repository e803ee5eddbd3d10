package dev.cloudops.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The STS session policy that scopes an execution's credentials to one approved plan: exactly the calls the
 * execution code makes for each step's action and for its approved inverse, on exactly the resources the
 * steps name, plus the reads the pre-checks, the step itself and its rollback make around them. Verification
 * probes the target over HTTP and makes no AWS call, so it adds nothing.
 *
 * <p>Per action (execution-lambda's {@code Route53Executor}, {@code CloudFrontExecutor}, {@code AcmExecutor}):
 * <ul>
 * <li>{@code route53.upsert_record} / {@code route53.delete_record}: {@code route53:ListResourceRecordSets}
 * (observe) and {@code route53:ChangeResourceRecordSets} (one DELETE+CREATE batch; its undo is another) on
 * {@code hostedzone/ZONE}, the latter only for the plan's record names and types and the batch actions CREATE
 * and DELETE; {@code route53:GetChange} on {@code change/*} (the change id exists only once the batch is
 * accepted).</li>
 * <li>{@code cloudfront.set_enabled}, {@code set_origin}, {@code set_viewer_certificate}:
 * {@code cloudfront:GetDistribution} (config and ETag) and {@code cloudfront:UpdateDistribution} (with
 * IfMatch; the undo is another) on {@code distribution/ID}; a viewer certificate also
 * {@code acm:DescribeCertificate} on the named certificate (the pre-check re-reads certificate facts).</li>
 * <li>{@code cloudfront.create_invalidation}: {@code cloudfront:GetDistribution} and
 * {@code cloudfront:CreateInvalidation} on {@code distribution/ID}.</li>
 * <li>{@code acm.request_certificate}: {@code acm:ListCertificates} and {@code acm:RequestCertificate} on
 * {@code *} (no resource-level permission; the request is narrowed by {@code acm:DomainNames} and
 * {@code acm:ValidationMethod}), {@code acm:DescribeCertificate} on {@code certificate/*} of the account (the
 * new certificate's ARN is not known before the request), {@code route53:ListHostedZonesByName} on {@code *},
 * and {@code route53:ChangeResourceRecordSets} on {@code hostedzone/*} for UPSERTs of CNAME records named
 * {@code _*.NAME} only (the validation record goes into whichever public zone serves the name, which the plan
 * does not name).</li>
 * <li>{@code manual.step}: nothing.</li>
 * </ul>
 *
 * <p>The document is built in a fixed order (statements sorted, actions and resources sorted), so one plan
 * always gives byte-identical JSON and the same hash. A document longer than STS accepts is refused, never
 * truncated: "The plaintext that you use for both inline and managed session policies can't exceed 2,048
 * characters" (STS API reference, AssumeRole, {@code Policy}). STS also packs the policy into a binary form with
 * a limit of its own ({@code PackedPolicyTooLarge}), which can only be learned from STS itself.
 */
public sealed interface SessionPolicy {

    /** STS's limit on the plaintext of an inline session policy, in characters. */
    int MAX_PLAINTEXT_CHARACTERS = 2048;
    /** The shortest session STS grants ({@code DurationSeconds} minimum). */
    int MIN_DURATION_SECONDS = 900;
    /**
     * The longest session STS grants to a role whose maximum session duration allows it. A role assumed with
     * another role's credentials (role chaining, as a Lambda function assuming an executor role does) gets at
     * most 3600 seconds; the caller then passes a shorter timeout.
     */
    int MAX_DURATION_SECONDS = 43200;
    /** The region of the ACM certificates CloudFront serves (and the one the execution's ACM client uses). */
    String CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

    /**
     * Write actions granted on {@code "*"} because AWS offers no resource-level permission for them, and how each
     * grant is narrowed instead. No other write is ever granted on {@code "*"}.
     */
    Map<String, String> UNSCOPABLE_WRITES = Map.of("acm:RequestCertificate",
            "a certificate has no ARN before it is requested; narrowed to the plan's names (acm:DomainNames) and DNS "
                    + "validation (acm:ValidationMethod)");
    /**
     * Write actions granted on a wildcard ARN (not {@code "*"}), and why: the resource is chosen at execution
     * time, not named by the plan; each grant is narrowed by conditions.
     */
    Map<String, String> WILDCARD_WRITES = Map.of("route53:ChangeResourceRecordSets",
            "the ACM validation record goes into the public zone that serves the name, found at execution time; "
                    + "narrowed to UPSERTs of CNAME records named _*.NAME for the plan's certificate names");

    /**
     * The policy for {@code plan}, or why there is none.
     *
     * @param partition the AWS partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov})
     * @param accountId the 12-digit account the plan's resources are in
     * @param timeout how long the execution may take; the session lasts as long, within STS's bounds
     * @throws IllegalArgumentException when an identifier the plan names cannot be a single resource (a wildcard,
     *     a malformed id), so no scoped policy can be made from it
     */
    static SessionPolicy forPlan(Plan plan, String partition, String accountId, Duration timeout) {
        return SessionPolicies.forPlan(plan, partition, accountId, timeout);
    }

    /** A policy to pass to AssumeRole. */
    record Scoped(List<Statement> statements, String json, String sha256, List<Grant> grants, int durationSeconds)
            implements SessionPolicy {
        public Scoped {
            statements = List.copyOf(statements);
            grants = List.copyOf(grants);
        }
    }

    /** Only manual steps: the plan makes no AWS call, so no credentials and no policy are needed. */
    record NothingToGrant(String reason) implements SessionPolicy {
    }

    /** The policy would be longer than STS accepts; it is refused whole (never truncated). */
    record TooLarge(int characters, int limit, List<Grant> grants, String reason) implements SessionPolicy {
        public TooLarge {
            grants = List.copyOf(grants);
        }
    }

    /**
     * One Allow statement; {@code condition} maps an operator ({@code ForAllValues:StringEquals}) to keys and
     * their values.
     */
    record Statement(List<String> actions, List<String> resources,
            SortedMap<String, SortedMap<String, List<String>>> condition) {
        public Statement {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            SortedMap<String, SortedMap<String, List<String>>> copy = new TreeMap<>();
            condition.forEach((op, keys) -> {
                SortedMap<String, List<String>> k = new TreeMap<>();
                keys.forEach((key, values) -> k.put(key, List.copyOf(values)));
                copy.put(op, Collections.unmodifiableSortedMap(k));
            });
            condition = Collections.unmodifiableSortedMap(copy);
        }
    }

    /**
     * One permission in plain words for the review page: the call, the resource, the steps that need it
     * ({@code S1}, {@code S1's undo}), and what the condition narrows it to (empty when nothing).
     */
    record Grant(String action, String resource, List<String> neededBy, String narrowedTo) {
        public Grant {
            neededBy = List.copyOf(neededBy);
        }

        /** E.g. {@code route53:ChangeResourceRecordSets on hostedzone/Z123 (S1 and its undo)}. */
        public String words() {
            return action + " on " + shortResource(resource) + " (" + String.join(", ", neededBy) + ")"
                    + (narrowedTo.isEmpty() ? "" : ", only " + narrowedTo);
        }

        private static String shortResource(String arn) {
            if (arn.equals("*")) {
                return "any resource (AWS offers no narrower one)";
            }
            String[] parts = arn.split(":", 6);
            return parts.length == 6 ? parts[5] : arn;
        }
    }
}

/** The generator behind {@link SessionPolicy#forPlan}. */
final class SessionPolicies {

    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Z0-9]{1,32}");
    private static final Pattern CERTIFICATE_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+");
    private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");

    private static final String FOR_ALL_EQUALS = "ForAllValues:StringEquals";
    private static final String FOR_ALL_LIKE = "ForAllValues:StringLike";
    private static final String EQUALS = "StringEquals";
    private static final String NULL = "Null";
    private static final String RECORD_NAMES = "route53:ChangeResourceRecordSetsNormalizedRecordNames";
    private static final String RECORD_TYPES = "route53:ChangeResourceRecordSetsRecordTypes";
    private static final String BATCH_ACTIONS = "route53:ChangeResourceRecordSetsActions";

    private SessionPolicies() {
    }

    /** A call a step needs on a resource, with the condition that narrows it. */
    private record Need(String action, String resource, Condition condition, String stepId, boolean undo) {
    }

    /** A condition being merged: operator, key, values. */
    private static final class Condition {
        final SortedMap<String, SortedMap<String, SortedSet<String>>> entries = new TreeMap<>();

        Condition with(String op, String key, String... values) {
            entries.computeIfAbsent(op, o -> new TreeMap<>()).computeIfAbsent(key, k -> new TreeSet<>())
                    .addAll(List.of(values));
            return this;
        }

        void merge(Condition other) {
            other.entries.forEach((op, keys) -> keys.forEach((key, values) -> with(op, key,
                    values.toArray(String[]::new))));
        }

        SortedMap<String, SortedMap<String, List<String>>> frozen() {
            SortedMap<String, SortedMap<String, List<String>>> out = new TreeMap<>();
            entries.forEach((op, keys) -> {
                SortedMap<String, List<String>> k = new TreeMap<>();
                keys.forEach((key, values) -> k.put(key, List.copyOf(values)));
                out.put(op, k);
            });
            return out;
        }
    }

    static SessionPolicy forPlan(Plan plan, String partition, String accountId, Duration timeout) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(timeout, "timeout");
        require(PARTITION, partition, "partition");
        require(ACCOUNT, accountId, "account id");
        Arns arns = new Arns(partition, accountId);
        List<Need> needs = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            needs.addAll(needs(step.action(), arns, step.id(), false));
            if (step.inverse() instanceof Inverse.Undo undo) {
                needs.addAll(needs(undo.action(), arns, step.id(), true));
            }
        }
        if (needs.isEmpty()) {
            return new SessionPolicy.NothingToGrant("every step of the plan is manual: it makes no AWS call, so no "
                    + "credentials and no session policy are needed");
        }
        List<String> stepOrder = plan.steps().stream().map(PlanStep::id).toList();

        // (action, resource) -> merged condition, and who needs it.
        Map<List<String>, Condition> conditions = new TreeMap<>(Comparator.comparing((List<String> l) -> l.get(0))
                .thenComparing(l -> l.get(1)));
        Map<List<String>, Map<String, boolean[]>> users = new TreeMap<>(Comparator.comparing((List<String> l) -> l.get(0))
                .thenComparing(l -> l.get(1)));
        for (Need need : needs) {
            List<String> key = List.of(need.action(), need.resource());
            conditions.computeIfAbsent(key, k -> new Condition()).merge(need.condition());
            boolean[] uses = users.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(need.stepId(), s -> new boolean[2]);
            uses[need.undo() ? 1 : 0] = true;
        }

        // (action, condition) -> resources; then (resources, condition) -> actions. A resource that an
        // unconditioned wildcard grant of the same action already covers is left out of the document (it stays
        // among the grants in words, with the step that needs it).
        Map<String, SortedSet<String>> resourcesOf = new TreeMap<>();
        Map<String, SortedMap<String, SortedMap<String, List<String>>>> conditionOf = new TreeMap<>();
        conditions.forEach((key, condition) -> {
            if (condition.entries.isEmpty() && coveredByWildcard(key, conditions)) {
                return;
            }
            String conditionJson = conditionJson(condition.frozen());
            String id = key.get(0) + "\u0000" + conditionJson;
            resourcesOf.computeIfAbsent(id, k -> new TreeSet<>()).add(key.get(1));
            conditionOf.put(id, condition.frozen());
        });
        Map<String, SortedSet<String>> actionsOf = new TreeMap<>();
        Map<String, List<String>> statementResources = new TreeMap<>();
        Map<String, SortedMap<String, SortedMap<String, List<String>>>> statementCondition = new TreeMap<>();
        resourcesOf.forEach((id, resources) -> {
            String action = id.substring(0, id.indexOf('\u0000'));
            String conditionJson = id.substring(id.indexOf('\u0000') + 1);
            String group = String.join(",", resources) + "\u0000" + conditionJson;
            actionsOf.computeIfAbsent(group, g -> new TreeSet<>()).add(action);
            statementResources.put(group, List.copyOf(resources));
            statementCondition.put(group, conditionOf.get(id));
        });
        List<SessionPolicy.Statement> statements = new ArrayList<>();
        actionsOf.forEach((group, actions) -> statements.add(new SessionPolicy.Statement(List.copyOf(actions),
                statementResources.get(group), statementCondition.get(group))));
        statements.sort(Comparator.comparing((SessionPolicy.Statement s) -> String.join(",", s.actions()))
                .thenComparing(s -> String.join(",", s.resources()))
                .thenComparing(s -> conditionJson(s.condition())));

        List<SessionPolicy.Grant> grants = new ArrayList<>();
        conditions.forEach((key, condition) -> grants.add(new SessionPolicy.Grant(key.get(0), key.get(1),
                neededBy(users.get(key), stepOrder), narrowedTo(condition.frozen()))));

        String json = json(statements);
        if (json.length() > SessionPolicy.MAX_PLAINTEXT_CHARACTERS) {
            return new SessionPolicy.TooLarge(json.length(), SessionPolicy.MAX_PLAINTEXT_CHARACTERS, grants,
                    "the plan's session policy would be " + json.length() + " characters; STS accepts at most "
                            + SessionPolicy.MAX_PLAINTEXT_CHARACTERS + " for an inline session policy, so the plan "
                            + "cannot run with plan-scoped credentials: split it into smaller plans");
        }
        return new SessionPolicy.Scoped(statements, json, sha256(json), grants, durationSeconds(timeout));
    }

    private static boolean coveredByWildcard(List<String> key, Map<List<String>, Condition> conditions) {
        for (Map.Entry<List<String>, Condition> other : conditions.entrySet()) {
            String pattern = other.getKey().get(1);
            if (other.getKey().get(0).equals(key.get(0)) && other.getValue().entries.isEmpty()
                    && !pattern.equals(key.get(1)) && pattern.contains("*") && glob(pattern).matcher(key.get(1)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** IAM's ARN wildcards: {@code *} any run of characters, {@code ?} one. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    static int durationSeconds(Duration timeout) {
        long seconds = timeout.isNegative() ? 0 : timeout.toSeconds() + (timeout.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.max(SessionPolicy.MIN_DURATION_SECONDS, Math.min(SessionPolicy.MAX_DURATION_SECONDS,
                seconds));
    }

    /** The calls {@code action}'s executor makes, on which resources. */
    private static List<Need> needs(Action action, Arns arns, String stepId, boolean undo) {
        List<Need> out = new ArrayList<>();
        switch (action) {
            case Action.UpsertRecord u -> route53(u.record(), arns, stepId, undo, out);
            case Action.DeleteRecord d -> route53(d.record(), arns, stepId, undo, out);
            case Action.SetEnabled e -> distributionUpdate(e.distributionId(), arns, stepId, undo, out);
            case Action.SetOrigin o -> distributionUpdate(o.distributionId(), arns, stepId, undo, out);
            case Action.SetViewerCertificate v -> {
                distributionUpdate(v.distributionId(), arns, stepId, undo, out);
                out.add(new Need("acm:DescribeCertificate", arns.certificate(v.certificateArn()), new Condition(),
                        stepId, undo));
            }
            case Action.CreateInvalidation i -> {
                String distribution = arns.distribution(i.distributionId());
                out.add(new Need("cloudfront:GetDistribution", distribution, new Condition(), stepId, undo));
                out.add(new Need("cloudfront:CreateInvalidation", distribution, new Condition(), stepId, undo));
            }
            case Action.RequestCertificate r -> certificate(r, arns, stepId, undo, out);
            case Action.ManualStep m -> {
                // For a person: no AWS call.
            }
        }
        return out;
    }

    private static void route53(Action.RecordSet record, Arns arns, String stepId, boolean undo, List<Need> out) {
        String zone = arns.hostedZone(record.hostedZoneId());
        out.add(new Need("route53:ListResourceRecordSets", zone, new Condition(), stepId, undo));
        // Route53Executor writes one DELETE (of the record observed) + CREATE batch, and so does its undo: both
        // batch actions are always needed, so route53:ChangeResourceRecordSetsActions would only exclude UPSERT,
        // which changes the same record the same way; it is left out to keep the policy within STS's size limit.
        out.add(new Need("route53:ChangeResourceRecordSets", zone, new Condition()
                .with(FOR_ALL_EQUALS, RECORD_NAMES, recordName(record.name()))
                .with(FOR_ALL_EQUALS, RECORD_TYPES, record.type().toUpperCase(Locale.ROOT))
                // ForAllValues holds when a key is absent: require each to be present.
                .with(NULL, RECORD_NAMES, "false").with(NULL, RECORD_TYPES, "false"),
                stepId, undo));
        out.add(new Need("route53:GetChange", arns.anyChange(), new Condition(), stepId, undo));
    }

    private static void distributionUpdate(String id, Arns arns, String stepId, boolean undo, List<Need> out) {
        String distribution = arns.distribution(id);
        out.add(new Need("cloudfront:GetDistribution", distribution, new Condition(), stepId, undo));
        out.add(new Need("cloudfront:UpdateDistribution", distribution, new Condition(), stepId, undo));
    }

    private static void certificate(Action.RequestCertificate r, Arns arns, String stepId, boolean undo,
            List<Need> out) {
        List<String> names = new ArrayList<>();
        names.add(r.domainName());
        names.addAll(r.subjectAlternativeNames());
        names.forEach(n -> require(DOMAIN, n, "domain name"));
        out.add(new Need("acm:ListCertificates", "*", new Condition(), stepId, undo));
        out.add(new Need("acm:RequestCertificate", "*", new Condition()
                .with(FOR_ALL_EQUALS, "acm:DomainNames", names.toArray(String[]::new))
                .with(EQUALS, "acm:ValidationMethod", "DNS")
                .with(NULL, "acm:DomainNames", "false"), stepId, undo));
        out.add(new Need("acm:DescribeCertificate", arns.anyCertificate(), new Condition(), stepId, undo));
        out.add(new Need("route53:ListHostedZonesByName", "*", new Condition(), stepId, undo));
        String[] validationNames = names.stream().map(n -> "_*." + normal(n).replaceFirst("^\\*\\.", ""))
                .distinct().toArray(String[]::new);
        out.add(new Need("route53:ChangeResourceRecordSets", arns.anyHostedZone(), new Condition()
                .with(FOR_ALL_LIKE, RECORD_NAMES, validationNames)
                .with(FOR_ALL_EQUALS, RECORD_TYPES, "CNAME")
                .with(FOR_ALL_EQUALS, BATCH_ACTIONS, "UPSERT")
                .with(NULL, RECORD_NAMES, "false").with(NULL, RECORD_TYPES, "false").with(NULL, BATCH_ACTIONS, "false"),
                stepId, undo));
    }

    /** The ARNs of one partition and account. */
    private record Arns(String partition, String account) {
        String hostedZone(String id) {
            String bare = id.strip().startsWith("/hostedzone/") ? id.strip().substring("/hostedzone/".length())
                    : id.strip();
            return "arn:" + partition + ":route53:::hostedzone/" + require(RESOURCE_ID, bare, "hosted zone id");
        }

        String anyHostedZone() {
            return "arn:" + partition + ":route53:::hostedzone/*";
        }

        String anyChange() {
            return "arn:" + partition + ":route53:::change/*";
        }

        String distribution(String id) {
            return "arn:" + partition + ":cloudfront::" + account + ":distribution/"
                    + require(RESOURCE_ID, id, "distribution id");
        }

        /** A certificate of this partition and account (CloudFront serves only its own account's). */
        String certificate(String arn) {
            require(CERTIFICATE_ARN, arn, "certificate ARN");
            if (!arn.startsWith("arn:" + partition + ":acm:") || !arn.contains(":" + account + ":certificate/")) {
                throw new IllegalArgumentException("certificate " + arn + " is not in partition " + partition
                        + " and account " + account);
            }
            return arn;
        }

        String anyCertificate() {
            return "arn:" + partition + ":acm:" + SessionPolicy.CLOUDFRONT_CERTIFICATE_REGION + ":" + account
                    + ":certificate/*";
        }
    }

    /** As Route 53 normalizes a record name for its condition keys (and as Route53Executor passes it). */
    private static String recordName(String name) {
        require(DOMAIN, name, "record name");
        return normal(name).replace("*", "\\052");
    }

    private static String normal(String name) {
        String n = name.replace("\\052", "*").toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static String require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("not a single " + what + ": '" + value + "'; a session policy can "
                    + "only be scoped to exact resources");
        }
        return value;
    }

    private static List<String> neededBy(Map<String, boolean[]> uses, List<String> stepOrder) {
        List<String> out = new ArrayList<>();
        for (String id : stepOrder) {
            boolean[] u = uses.get(id);
            if (u != null) {
                out.add(u[0] && u[1] ? id + " and its undo" : u[0] ? id : id + "'s undo");
            }
        }
        return out;
    }

    private static String narrowedTo(SortedMap<String, SortedMap<String, List<String>>> condition) {
        List<String> parts = new ArrayList<>();
        condition.forEach((op, keys) -> {
            if (!op.equals(NULL)) {
                keys.forEach((key, values) -> parts.add(key.substring(key.indexOf(':') + 1) + " "
                        + String.join(" | ", values)));
            }
        });
        return String.join("; ", parts);
    }

    private static String json(List<SessionPolicy.Statement> statements) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("Version", "2012-10-17");
        ArrayNode array = root.putArray("Statement");
        for (SessionPolicy.Statement s : statements) {
            ObjectNode node = array.addObject();
            node.put("Effect", "Allow");
            putValues(node, "Action", s.actions());
            putValues(node, "Resource", s.resources());
            if (!s.condition().isEmpty()) {
                node.set("Condition", conditionNode(s.condition()));
            }
        }
        return write(root);
    }

    private static ObjectNode conditionNode(SortedMap<String, SortedMap<String, List<String>>> condition) {
        ObjectNode node = Json.mapper().createObjectNode();
        condition.forEach((op, keys) -> {
            ObjectNode o = node.putObject(op);
            keys.forEach((key, values) -> putValues(o, key, values));
        });
        return node;
    }

    private static String conditionJson(SortedMap<String, SortedMap<String, List<String>>> condition) {
        return write(conditionNode(condition));
    }

    /** A single value as a string, several as an array: the shorter form IAM accepts for both. */
    private static void putValues(ObjectNode node, String field, List<String> values) {
        if (values.size() == 1) {
            node.put(field, values.getFirst());
        } else {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a session policy", e);
        }
    }

    private static String sha256(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
