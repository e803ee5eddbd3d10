package dev.cloudops.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The plan's wire form: JSON validated against the committed schema
 * ({@code schemas/remediation-plan.schema.json}), its canonical form (keys sorted, no white space,
 * UTF-8) and {@code plan_hash}, the SHA-256 of that canonical form in lower-case hex.
 */
public final class PlanJson {

    /** Where the schema lives on the classpath (and in common/src/main/resources). */
    public static final String SCHEMA_RESOURCE = "/schemas/remediation-plan.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERRORS = 20;

    private PlanJson() {
    }

    /** Reads and validates a plan; never throws for bad input. */
    public static PlanParse parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new PlanParse.Invalid(List.of("not JSON: " + e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return new PlanParse.Invalid(List.of("empty plan"));
        }
        Set<String> errors = new TreeSet<>();
        for (ValidationMessage m : Schema.INSTANCE.validate(node)) {
            errors.add(m.getMessage());
        }
        if (errors.isEmpty()) {
            errors.addAll(duplicateIds(node));
        }
        if (!errors.isEmpty()) {
            List<String> list = new ArrayList<>(errors);
            return new PlanParse.Invalid(list.size() > MAX_ERRORS ? list.subList(0, MAX_ERRORS) : list);
        }
        Plan plan = read(node);
        return new PlanParse.Valid(plan, canonical(plan), hash(plan));
    }

    /** The plan as a JSON tree in its wire form. */
    public static ObjectNode toJson(Plan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        if (plan.summary() != null) {
            root.put("summary", plan.summary());
        }
        ArrayNode steps = root.putArray("steps");
        for (PlanStep step : plan.steps()) {
            ObjectNode s = steps.addObject();
            s.put("id", step.id());
            s.put("action", step.action().name());
            s.set("parameters", parameters(step.action()));
            if (step.precondition() != null) {
                ObjectNode p = s.putObject("precondition");
                p.put("evidence", step.precondition().evidenceId());
                ObjectNode expected = p.putObject("expected");
                step.precondition().expected().forEach(expected::put);
            }
            ObjectNode inverse = s.putObject("inverse");
            switch (step.inverse()) {
                case Inverse.Undo undo -> {
                    inverse.put("action", undo.action().name());
                    inverse.set("parameters", parameters(undo.action()));
                }
                case Inverse.Irreversible irreversible -> inverse.put("irreversible", irreversible.reason());
            }
            s.put("risk", step.risk().name().toLowerCase(Locale.ROOT));
            if (step.permission() != null) {
                ObjectNode permission = s.putObject("permission");
                permission.put("action", step.permission().action());
                permission.put("resource", step.permission().resource());
            }
        }
        return root;
    }

    /** Keys sorted at every level, no white space: the same text for the same plan on any JVM. */
    public static String canonical(Plan plan) {
        return canonical(toJson(plan));
    }

    /** Any JSON tree in the same canonical form, e.g. to compare a step's parameters with a request's. */
    public static String canonical(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            writeCanonical(node, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code plan_hash}: SHA-256 of the canonical JSON, lower-case hex. */
    public static String hash(Plan plan) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(plan).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void writeCanonical(JsonNode node, JsonGenerator json) throws IOException {
        if (node.isObject()) {
            json.writeStartObject();
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                json.writeFieldName(e.getKey());
                writeCanonical(e.getValue(), json);
            }
            json.writeEndObject();
        } else if (node.isArray()) {
            json.writeStartArray();
            for (JsonNode item : node) {
                writeCanonical(item, json);
            }
            json.writeEndArray();
        } else {
            json.writeTree(node);
        }
    }

    private static ObjectNode parameters(Action action) {
        ObjectNode p = JSON.createObjectNode();
        switch (action) {
            case Action.UpsertRecord a -> recordSet(p, a.record());
            case Action.DeleteRecord a -> recordSet(p, a.record());
            case Action.SetEnabled a -> {
                p.put("distribution_id", a.distributionId());
                p.put("enabled", a.enabled());
            }
            case Action.CreateInvalidation a -> {
                p.put("distribution_id", a.distributionId());
                ArrayNode paths = p.putArray("paths");
                a.paths().forEach(paths::add);
            }
            case Action.SetOrigin a -> {
                p.put("distribution_id", a.distributionId());
                p.put("origin_id", a.originId());
                p.put("domain_name", a.domainName());
            }
            case Action.SetViewerCertificate a -> {
                p.put("distribution_id", a.distributionId());
                p.put("certificate_arn", a.certificateArn());
                if (a.minimumProtocolVersion() != null) {
                    p.put("minimum_protocol_version", a.minimumProtocolVersion());
                }
            }
            case Action.RequestCertificate a -> {
                p.put("domain_name", a.domainName());
                if (!a.subjectAlternativeNames().isEmpty()) {
                    ArrayNode sans = p.putArray("subject_alternative_names");
                    a.subjectAlternativeNames().forEach(sans::add);
                }
                p.put("validation_method", "DNS");
            }
            case Action.ManualStep a -> p.put("instructions", a.instructions());
        }
        return p;
    }

    private static void recordSet(ObjectNode p, Action.RecordSet r) {
        p.put("hosted_zone_id", r.hostedZoneId());
        p.put("name", r.name());
        p.put("type", r.type());
        if (r.alias() != null) {
            ObjectNode alias = p.putObject("alias");
            alias.put("dns_name", r.alias().dnsName());
            alias.put("hosted_zone_id", r.alias().hostedZoneId());
            alias.put("evaluate_target_health", r.alias().evaluateTargetHealth());
        } else {
            p.put("ttl", r.ttl());
            ArrayNode values = p.putArray("values");
            r.values().forEach(values::add);
        }
    }

    private static Plan read(JsonNode root) {
        List<PlanStep> steps = new ArrayList<>();
        for (JsonNode s : root.get("steps")) {
            Action action = action(s.get("action").asText(), s.get("parameters"));
            Precondition precondition = null;
            if (s.has("precondition")) {
                Map<String, String> expected = new TreeMap<>();
                s.get("precondition").get("expected").fields()
                        .forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
                precondition = Precondition.of(s.get("precondition").get("evidence").asText(), expected);
            }
            JsonNode inv = s.get("inverse");
            Inverse inverse = inv.has("irreversible")
                    ? new Inverse.Irreversible(inv.get("irreversible").asText())
                    : new Inverse.Undo(action(inv.get("action").asText(), inv.get("parameters")));
            Risk risk = Risk.valueOf(s.get("risk").asText().toUpperCase(Locale.ROOT));
            Permission permission = s.has("permission") ? new Permission(s.get("permission").get("action").asText(),
                    s.get("permission").get("resource").asText()) : null;
            steps.add(new PlanStep(s.get("id").asText(), action, precondition, inverse, risk, permission));
        }
        return new Plan(root.has("summary") ? root.get("summary").asText() : null, steps);
    }

    private static Action action(String name, JsonNode p) {
        return switch (name) {
            case "route53.upsert_record" -> new Action.UpsertRecord(recordSet(p));
            case "route53.delete_record" -> new Action.DeleteRecord(recordSet(p));
            case "cloudfront.set_enabled" -> new Action.SetEnabled(text(p, "distribution_id"),
                    p.get("enabled").asBoolean());
            case "cloudfront.create_invalidation" -> new Action.CreateInvalidation(text(p, "distribution_id"),
                    strings(p.get("paths")));
            case "cloudfront.set_origin" -> new Action.SetOrigin(text(p, "distribution_id"), text(p, "origin_id"),
                    text(p, "domain_name"));
            case "cloudfront.set_viewer_certificate" -> new Action.SetViewerCertificate(text(p, "distribution_id"),
                    text(p, "certificate_arn"), p.has("minimum_protocol_version")
                    ? text(p, "minimum_protocol_version") : null);
            case "acm.request_certificate" -> new Action.RequestCertificate(text(p, "domain_name"),
                    strings(p.get("subject_alternative_names")));
            case "manual.step" -> new Action.ManualStep(text(p, "instructions"));
            default -> throw new IllegalStateException("the schema admitted an unknown action: " + name);
        };
    }

    private static Action.RecordSet recordSet(JsonNode p) {
        Action.Alias alias = null;
        if (p.has("alias")) {
            JsonNode a = p.get("alias");
            alias = new Action.Alias(text(a, "dns_name"), text(a, "hosted_zone_id"),
                    a.get("evaluate_target_health").asBoolean());
        }
        return new Action.RecordSet(text(p, "hosted_zone_id"), text(p, "name"), text(p, "type"),
                p.has("ttl") ? p.get("ttl").asLong() : null, strings(p.get("values")), alias);
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    private static List<String> duplicateIds(JsonNode root) {
        Set<String> seen = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (Iterator<JsonNode> it = root.get("steps").elements(); it.hasNext(); ) {
            String id = it.next().get("id").asText();
            if (!seen.add(id)) {
                errors.add("$.steps: step id " + id + " is used more than once");
            }
        }
        return errors;
    }

    /** The compiled schema, loaded on first use. */
    private static final class Schema {
        static final JsonSchema INSTANCE = load();

        private static JsonSchema load() {
            try (InputStream in = PlanJson.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("plan schema missing from the classpath: " + SCHEMA_RESOURCE);
                }
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
