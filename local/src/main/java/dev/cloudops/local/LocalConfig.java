package dev.cloudops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cloudops.alert.Severity;
import dev.cloudops.config.ConfigException;
import dev.cloudops.config.ConfigReader;
import dev.cloudops.execution.precheck.ExecutionWindows;
import dev.cloudops.monitor.target.InvalidTargetDocumentException;
import dev.cloudops.monitor.target.TargetDocument;
import dev.cloudops.probe.ProbeSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local runner's configuration file (YAML; every option is documented in {@code examples/cloudops.yaml}).
 * Nested keys are read as one flat name ({@code portal.port} is {@code PORTAL_PORT}) with the same checks
 * as the functions' environment, and every problem is reported at once.
 *
 * <p>With {@code probe_sites}, the targets are probed from several named sites (each with its own DNS resolvers)
 * that vote as the regions of the monitor's quorum (issue 24): a failure becomes an alert only when
 * {@code quorum} of them see it within {@code quorum_window}. Without it there is one site and no quorum.
 *
 * @param probeSites the probe sites in the file's order; empty for today's single site on the system's resolvers
 * @param quorum Q, how many sites must see a failure (2 by default with several sites, 1 with none)
 * @param quorumWindow how old a site's observation may be and still count (two probe intervals by default)
 * @param regionalAlertAfter how long a failure from too few sites lasts before a LOW regional-reachability alert
 *     (30 minutes by default; empty: {@code off}, never)
 */
public record LocalConfig(
        Path dataDir,
        String host,
        int port,
        Duration probeInterval,
        String targetsDocument,
        List<Path> trust,
        Optional<URI> teamsWebhook,
        Optional<URI> slackWebhook,
        Duration analysisDeadline,
        Duration decisionWindow,
        Set<Severity> linkModeSeverities,
        Duration approvalWindow,
        ExecutionWindows windows,
        int maxPerHour,
        int maxConcurrent,
        Duration verifyDeadline,
        Optional<String> awsRegion,
        Optional<String> awsProfile,
        Optional<URI> awsEndpoint,
        Optional<String> bedrockAgentId,
        Optional<String> bedrockAliasId,
        List<ProbeSite> probeSites,
        int quorum,
        Duration quorumWindow,
        Optional<Duration> regionalAlertAfter) {

    /**
     * A place the targets are probed from: its name (a region of the quorum: no blanks or '#') and the DNS
     * resolvers it asks; none means the system's resolvers.
     */
    public record ProbeSite(String name, List<InetSocketAddress> resolvers) {
        public ProbeSite {
            resolvers = List.copyOf(resolvers);
        }
    }

    /** How long a failure from too few sites lasts before a LOW regional-reachability alert, by default. */
    static final Duration DEFAULT_REGIONAL_ALERT_AFTER = Duration.ofMinutes(30);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    public LocalConfig {
        trust = List.copyOf(trust);
        probeSites = List.copyOf(probeSites);
        linkModeSeverities = linkModeSeverities.isEmpty() ? Set.of() : EnumSet.copyOf(linkModeSeverities);
    }

    /** Reads the file; relative paths in it are resolved against the file's folder. */
    public static LocalConfig load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw fail(file + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail(file + " must be a YAML mapping of options");
        }
        Path base = file.toAbsolutePath().getParent();
        Map<String, String> flat = new HashMap<>();
        flatten("", root, flat);
        ConfigReader reader = new ConfigReader(flat);
        Path dataDir = base.resolve(reader.optional("DATA_DIR").orElse("cloudops-data")).normalize();
        String host = reader.optional("PORTAL_HOST").orElse("127.0.0.1");
        Integer port = reader.integer("PORTAL_PORT", 8080, 0, 65535);
        Duration interval = reader.duration("PROBE_INTERVAL", Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofHours(24));
        String targets = null;
        JsonNode targetNode = root.path("targets");
        if (!targetNode.isArray() || targetNode.isEmpty()) {
            reader.problem("targets must list at least one target (url: ...)");
        } else {
            targets = JSON.createObjectNode().set("targets", targetNode).toString();
            try {
                TargetDocument.parse(targets).problems().forEach(p -> reader.problem("targets: " + p));
            } catch (InvalidTargetDocumentException e) {
                reader.problem("targets: " + e.getMessage());
            }
        }
        List<Path> trust = new ArrayList<>();
        for (JsonNode t : root.path("trust")) {
            Path pem = base.resolve(t.asText());
            if (!Files.isReadable(pem)) {
                reader.problem("trust: " + pem + " is not a readable PEM file");
            }
            trust.add(pem);
        }
        Optional<URI> teams = reader.optionalUri("NOTIFICATIONS_TEAMS_WEBHOOK");
        Optional<URI> slack = reader.optionalUri("NOTIFICATIONS_SLACK_WEBHOOK");
        Duration analysis = reader.duration("ANALYSIS_DEADLINE", Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofMinutes(14));
        Duration decision = reader.duration("APPROVAL_DECISION_WINDOW", Duration.ofHours(24), Duration.ofMinutes(5),
                Duration.ofDays(6));
        Set<Severity> linkMode = EnumSet.noneOf(Severity.class);
        for (String s : reader.optional("APPROVAL_LINK_MODE_SEVERITIES").orElse("low,medium").split(",")) {
            try {
                if (!s.isBlank()) {
                    linkMode.add(Severity.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                }
            } catch (IllegalArgumentException e) {
                reader.problem("approval.link_mode_severities: '" + s.strip() + "' is not a severity");
            }
        }
        Duration approvalWindow = reader.duration("EXECUTION_APPROVAL_WINDOW", Duration.ofHours(24),
                Duration.ofMinutes(5), Duration.ofDays(7));
        List<String> windowProblems = new ArrayList<>();
        ExecutionWindows windows = ExecutionWindows.parse(reader.optional("EXECUTION_WINDOWS").orElse(""),
                ZoneId.of(reader.optional("EXECUTION_WINDOW_ZONE").orElse("UTC")), windowProblems);
        windowProblems.forEach(p -> reader.problem("execution.windows: " + p));
        Integer perHour = reader.integer("EXECUTION_MAX_PER_HOUR", 10, 1, 1000);
        Integer concurrent = reader.integer("EXECUTION_MAX_CONCURRENT", 3, 1, 50);
        Duration verify = reader.duration("EXECUTION_VERIFY_DEADLINE", Duration.ofMinutes(3), Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        Optional<String> region = reader.optional("AWS_REGION");
        Optional<String> profile = reader.optional("AWS_PROFILE");
        Optional<URI> endpoint = reader.optionalUri("AWS_ENDPOINT");
        Optional<String> agent = reader.optional("BEDROCK_AGENT_ID");
        Optional<String> alias = reader.optional("BEDROCK_ALIAS_ID");
        if (agent.isPresent() != alias.isPresent()) {
            reader.problem("bedrock: set agent_id and alias_id together");
        }
        if (agent.isPresent() && region.isEmpty()) {
            reader.problem("bedrock needs aws.region");
        }
        List<ProbeSite> sites = probeSites(root.path("probe_sites"), reader);
        Integer quorum = reader.integer("QUORUM", sites.size() > 1 ? 2 : 1, 1, 1000);
        if (quorum != null && quorum > Math.max(1, sites.size())) {
            reader.problem(sites.isEmpty()
                    ? "quorum: " + quorum + " needs probe_sites (without them one site decides alone)"
                    : "quorum: " + quorum + " is more than the " + sites.size() + " probe sites (1 <= quorum <= "
                            + sites.size() + ")");
            quorum = null;
        }
        Duration window = reader.duration("QUORUM_WINDOW", (interval == null ? Duration.ofSeconds(60) : interval)
                .multipliedBy(2), Duration.ofSeconds(1), Duration.ofHours(6));
        Optional<Duration> regionalAlertAfter = reader.optional("REGIONAL_ALERT_AFTER")
                // YAML 1.1 reads a bare off as false.
                .filter(v -> v.strip().equalsIgnoreCase("off") || v.strip().equals("false")).isPresent() ? Optional.empty()
                : Optional.ofNullable(reader.duration("REGIONAL_ALERT_AFTER", DEFAULT_REGIONAL_ALERT_AFTER,
                        Duration.ofSeconds(1), Duration.ofDays(7)));
        reader.check();
        return new LocalConfig(dataDir, host, port, interval, targets, trust, teams, slack, analysis, decision, linkMode,
                approvalWindow, windows, perHour, concurrent, verify, region, profile, endpoint, agent, alias, sites,
                quorum, window, regionalAlertAfter);
    }

    /**
     * {@code probe_sites}: a list of {@code {name, resolvers}}; names unique, without blanks or '#' (they key the
     * sites' rows in the database), resolvers as {@code host:port} IP addresses. Problems go to {@code reader}.
     */
    private static List<ProbeSite> probeSites(JsonNode node, ConfigReader reader) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            reader.problem("probe_sites must be a list of sites (- name: ..., resolvers: [host:port, ...])");
            return List.of();
        }
        List<ProbeSite> sites = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode site : node) {
            index++;
            String where = "probe_sites[" + index + "]";
            if (!site.isObject()) {
                reader.problem(where + " must be a mapping with a name (and optional resolvers)");
                continue;
            }
            JsonNode nameNode = site.path("name");
            String name = nameNode.isValueNode() ? nameNode.asText().strip() : "";
            if (name.isEmpty()) {
                reader.problem(where + " needs a name");
            } else if (name.chars().anyMatch(c -> c == '#' || Character.isWhitespace(c))) {
                reader.problem(where + ": the name '" + name + "' must not contain blanks or '#'");
            } else if (!names.add(name)) {
                reader.problem(where + ": the name '" + name + "' is used by another site; names must be unique");
            } else {
                where = "probe_sites[" + name + "]";
            }
            site.properties().forEach(e -> {
                if (!e.getKey().equals("name") && !e.getKey().equals("resolvers")) {
                    reader.problem("probe_sites[" + (name.isEmpty() ? "" : name) + "]: unknown option '" + e.getKey()
                            + "' (a site has a name and resolvers)");
                }
            });
            List<InetSocketAddress> resolvers = List.of();
            JsonNode resolverNode = site.path("resolvers");
            if (!resolverNode.isMissingNode() && !resolverNode.isNull()) {
                if (!resolverNode.isArray()) {
                    reader.problem(where + ".resolvers must be a list of host:port addresses");
                } else {
                    List<String> listed = new ArrayList<>();
                    resolverNode.forEach(r -> listed.add(r.asText()));
                    ConfigReader one = new ConfigReader(Map.of("DNS_RESOLVERS", String.join(",", listed)));
                    resolvers = ProbeSettings.resolvers(one);
                    try {
                        one.check();
                    } catch (ConfigException e) {
                        String prefix = where;
                        e.problems().forEach(p -> reader.problem(prefix + ".resolvers: "
                                + p.replace("DNS_RESOLVERS", "resolvers")));
                    }
                }
            }
            sites.add(new ProbeSite(name, resolvers));
        }
        return sites;
    }

    private static ConfigException fail(String problem) {
        ConfigReader reader = new ConfigReader(Map.of());
        reader.problem(problem);
        try {
            reader.check();
        } catch (ConfigException e) {
            return e;
        }
        throw new IllegalStateException("a reader with a problem always fails its check");
    }

    /** {@code a: {b_c: 1}} becomes {@code A_B_C=1}; lists of scalars become comma-separated values. */
    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (!(prefix.isEmpty() && (e.getKey().equals("targets") || e.getKey().equals("trust")
                        || e.getKey().equals("probe_sites")))) {
                    flatten((prefix.isEmpty() ? "" : prefix + "_") + e.getKey().toUpperCase(Locale.ROOT), e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(v -> values.add(v.asText()));
            out.put(prefix, String.join(",", values));
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    /** The portal's address as people open it. */
    public URI portalUrl(int actualPort) {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + actualPort);
    }
}
