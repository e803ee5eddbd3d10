package dev.cloudops.monitor.target;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cloudops.alert.Severity;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the target document (YAML, or JSON, which is YAML too): either a list of targets, or an
 * object with {@code targets} and optional {@code defaults}. Every invalid entry is reported with its
 * index, line and reasons; the valid ones are kept.
 *
 * <pre>
 * defaults: {severity: medium, failures_before_alert: 2}
 * targets:
 *   - url: https://www.example.com/
 *     expected_status: [200]
 *     keyword: Welcome              # or keyword_regex: "Welcome|Bienvenue"
 *     latency_threshold_ms: 3000
 *     cert_warning_days: 14
 *     severity: high                # critical | high | medium | low
 *     failures_before_alert: 2
 *     successes_before_recovery: 1
 *     follow_redirects: true
 *     tags: {team: web}
 *     owners: [web-oncall@example.com]
 *     alarm_names: [shop-5xx-rate]
 * </pre>
 */
public final class TargetDocument {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> SETTINGS = Set.of("expected_status", "keyword", "keyword_regex",
            "latency_threshold_ms", "cert_warning_days", "severity", "failures_before_alert",
            "successes_before_recovery", "follow_redirects", "tags", "owners", "alarm_names");
    private static final Set<String> TARGET_KEYS;

    static {
        Set<String> keys = new HashSet<>(SETTINGS);
        keys.add("url");
        TARGET_KEYS = Set.copyOf(keys);
    }

    private TargetDocument() {
    }

    /**
     * Parses the document.
     *
     * @throws InvalidTargetDocumentException when the document as a whole is unreadable
     */
    public static TargetList parse(String text) {
        List<Located> entries = new ArrayList<>();
        JsonNode defaults = YAML.createObjectNode();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readEntries(parser, entries);
            } else if (first == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("targets") && value == JsonToken.START_ARRAY) {
                        readEntries(parser, entries);
                    } else if (field.equals("defaults") && value == JsonToken.START_OBJECT) {
                        defaults = parser.readValueAsTree();
                    } else {
                        throw new InvalidTargetDocumentException("the target document has an unknown or malformed "
                                + "top-level field '" + field + "' (expected 'targets' as a list and optional "
                                + "'defaults' as a mapping)", null);
                    }
                }
            } else {
                throw new InvalidTargetDocumentException(
                        "the target document must be a list of targets or a mapping with 'targets'", null);
            }
        } catch (IOException e) {
            throw new InvalidTargetDocumentException("the target document is not valid YAML or JSON: "
                    + e.getMessage(), e);
        }
        return read(entries, defaults);
    }

    /**
     * Target entries given as a JSON list, as the document's {@code targets} lists them (without
     * {@code defaults}): the same rules, every invalid entry reported with its index.
     *
     * @throws InvalidTargetDocumentException when {@code list} is not a list
     */
    public static TargetList entries(JsonNode list) {
        if (list == null || !list.isArray()) {
            throw new InvalidTargetDocumentException("the target entries must be a list", null);
        }
        List<Located> entries = new ArrayList<>();
        list.forEach(node -> entries.add(new Located(node, -1)));
        return read(entries, YAML.createObjectNode());
    }

    private static TargetList read(List<Located> entries, JsonNode defaults) {
        List<String> defaultProblems = new ArrayList<>();
        Settings base = Settings.read(defaults, Settings.BUILT_IN, defaultProblems, true);
        List<Target> targets = new ArrayList<>();
        List<TargetProblem> problems = new ArrayList<>();
        if (!defaultProblems.isEmpty()) {
            problems.add(new TargetProblem("defaults", defaultProblems));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Located entry = entries.get(i);
            String position = "targets[" + i + "]" + (entry.line() < 0 ? "" : " (line " + entry.line() + ")");
            List<String> reasons = new ArrayList<>();
            Target target = readTarget(entry.node(), base, reasons);
            if (target != null && !seen.add(normalise(target.url()))) {
                reasons.add("duplicate url " + target.url() + " (already listed above)");
            }
            if (reasons.isEmpty()) {
                targets.add(target);
            } else {
                problems.add(new TargetProblem(position, reasons));
            }
        }
        return new TargetList(targets, problems);
    }

    /** The form of a URL used to match targets: scheme and host lower-cased, default port and trailing slash dropped. */
    static String normalise(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path + query;
    }

    /** The same URL with its scheme in lower case ({@code HTTPS://} is {@code https://}). */
    public static URI lowerCaseScheme(URI url) {
        if (url.getScheme() == null) {
            return url;
        }
        String text = url.toString();
        return URI.create(url.getScheme().toLowerCase(Locale.ROOT) + text.substring(url.getScheme().length()));
    }

    private static void readEntries(JsonParser parser, List<Located> entries) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonLocation at = parser.currentTokenLocation();
            JsonNode node = parser.readValueAsTree();
            entries.add(new Located(node, at.getLineNr()));
        }
    }

    private static Target readTarget(JsonNode node, Settings base, List<String> reasons) {
        if (node == null || !node.isObject()) {
            reasons.add("a target must be a mapping with at least 'url'");
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TARGET_KEYS.contains(name)) {
                reasons.add("unknown setting '" + name + "'");
            }
        }
        URI url = null;
        JsonNode rawUrl = node.get("url");
        if (rawUrl == null || !rawUrl.isTextual() || rawUrl.asText().isBlank()) {
            reasons.add("'url' is missing");
        } else {
            try {
                url = lowerCaseScheme(new URI(rawUrl.asText().trim()));
                if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
                    reasons.add("'url' must be an absolute http or https URL, was '" + rawUrl.asText() + "'");
                    url = null;
                }
            } catch (URISyntaxException e) {
                reasons.add("'url' is not a valid URL: " + e.getReason());
            }
        }
        Settings settings = Settings.read(node, base, reasons, false);
        if (url == null || !reasons.isEmpty()) {
            return null;
        }
        return new Target(url, settings.statuses, settings.pattern, settings.latency, settings.certWarningDays,
                settings.followRedirects, settings.severity, settings.failuresBeforeAlert,
                settings.successesBeforeRecovery, settings.tags, settings.owners, settings.alarmNames);
    }

    private record Located(JsonNode node, int line) {
    }

    /** The settings a target inherits from {@code defaults} and may override. */
    private record Settings(Set<Integer> statuses, Pattern pattern, Duration latency, int certWarningDays,
            boolean followRedirects, Severity severity, int failuresBeforeAlert, int successesBeforeRecovery,
            Map<String, String> tags, List<String> owners, List<String> alarmNames) {

        static final Settings BUILT_IN = new Settings(Target.DEFAULT_STATUSES, null, Target.DEFAULT_LATENCY,
                Target.DEFAULT_CERT_WARNING_DAYS, true, Severity.MEDIUM, Target.DEFAULT_FAILURES_BEFORE_ALERT,
                Target.DEFAULT_SUCCESSES_BEFORE_RECOVERY, Map.of(), List.of(), List.of());

        static Settings read(JsonNode node, Settings base, List<String> reasons, boolean defaults) {
            if (defaults) {
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!SETTINGS.contains(name)) {
                        reasons.add("unknown setting '" + name + "'");
                    }
                }
            }
            Set<Integer> statuses = base.statuses;
            if (node.has("expected_status")) {
                statuses = statuses(node.get("expected_status"), reasons);
            }
            Pattern pattern = base.pattern;
            if (node.has("keyword") && node.has("keyword_regex")) {
                reasons.add("set 'keyword' or 'keyword_regex', not both");
            } else if (node.has("keyword")) {
                String keyword = text(node, "keyword", reasons);
                pattern = keyword == null ? null : Pattern.compile(Pattern.quote(keyword));
            } else if (node.has("keyword_regex")) {
                String regex = text(node, "keyword_regex", reasons);
                try {
                    pattern = regex == null ? null : Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    reasons.add("'keyword_regex' is not a valid regular expression: " + e.getDescription());
                }
            }
            Duration latency = node.has("latency_threshold_ms")
                    ? Duration.ofMillis(integer(node, "latency_threshold_ms", 1, 600_000, reasons, 3000))
                    : base.latency;
            int certDays = node.has("cert_warning_days")
                    ? integer(node, "cert_warning_days", 0, 365, reasons, base.certWarningDays) : base.certWarningDays;
            boolean follow = base.followRedirects;
            if (node.has("follow_redirects")) {
                if (node.get("follow_redirects").isBoolean()) {
                    follow = node.get("follow_redirects").asBoolean();
                } else {
                    reasons.add("'follow_redirects' must be true or false");
                }
            }
            Severity severity = base.severity;
            if (node.has("severity")) {
                String s = text(node, "severity", reasons);
                try {
                    severity = s == null ? severity : Severity.valueOf(s.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    reasons.add("'severity' must be one of critical, high, medium, low, was '" + s + "'");
                }
            }
            int failures = node.has("failures_before_alert")
                    ? integer(node, "failures_before_alert", 1, 100, reasons, base.failuresBeforeAlert)
                    : base.failuresBeforeAlert;
            int successes = node.has("successes_before_recovery")
                    ? integer(node, "successes_before_recovery", 1, 100, reasons, base.successesBeforeRecovery)
                    : base.successesBeforeRecovery;
            Map<String, String> tags = node.has("tags") ? tags(node.get("tags"), reasons) : base.tags;
            List<String> owners = node.has("owners") ? strings(node, "owners", reasons) : base.owners;
            List<String> alarms = node.has("alarm_names") ? strings(node, "alarm_names", reasons) : base.alarmNames;
            return new Settings(statuses, pattern, latency, certDays, follow, severity, failures, successes, tags,
                    owners, alarms);
        }

        private static Set<Integer> statuses(JsonNode node, List<String> reasons) {
            List<JsonNode> items = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(items::add);
            } else {
                items.add(node);
            }
            Set<Integer> statuses = new LinkedHashSet<>();
            for (JsonNode item : items) {
                if (item.isInt() && item.asInt() >= 100 && item.asInt() <= 599) {
                    statuses.add(item.asInt());
                } else {
                    reasons.add("'expected_status' must hold HTTP status codes (100-599), found '" + item.asText()
                            + "'");
                }
            }
            if (statuses.isEmpty() && reasons.isEmpty()) {
                reasons.add("'expected_status' must list at least one status");
            }
            return statuses;
        }

        private static String text(JsonNode node, String field, List<String> reasons) {
            JsonNode value = node.get(field);
            if (!value.isTextual() || value.asText().isEmpty()) {
                reasons.add("'" + field + "' must be a non-empty string");
                return null;
            }
            return value.asText();
        }

        private static int integer(JsonNode node, String field, int min, int max, List<String> reasons, int fallback) {
            JsonNode value = node.get(field);
            if (!value.isInt() || value.asInt() < min || value.asInt() > max) {
                reasons.add("'" + field + "' must be a whole number from " + min + " to " + max + ", was '"
                        + value.asText() + "'");
                return fallback;
            }
            return value.asInt();
        }

        private static List<String> strings(JsonNode node, String field, List<String> reasons) {
            JsonNode value = node.get(field);
            List<String> out = new ArrayList<>();
            if (!value.isArray()) {
                reasons.add("'" + field + "' must be a list of strings");
                return out;
            }
            for (JsonNode item : value) {
                if (item.getNodeType() == JsonNodeType.STRING && !item.asText().isBlank()) {
                    out.add(item.asText());
                } else {
                    reasons.add("'" + field + "' must hold only non-empty strings");
                }
            }
            return out;
        }

        private static Map<String, String> tags(JsonNode node, List<String> reasons) {
            Map<String, String> tags = new LinkedHashMap<>();
            if (!node.isObject()) {
                reasons.add("'tags' must be a mapping of names to values");
                return tags;
            }
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode()) {
                    tags.put(e.getKey(), e.getValue().asText());
                } else {
                    reasons.add("tag '" + e.getKey() + "' must have a plain value");
                }
            });
            return tags;
        }
    }
}
