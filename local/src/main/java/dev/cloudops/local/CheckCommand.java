package dev.cloudops.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.ReportReader;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Severity;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.local.evidence.ProbeEvidenceCollector;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ResolverConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code check URL...}: probes each URL layer by layer and prints the result and the rule engine's diagnosis. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Probe URLs (DNS, TCP, TLS, HTTP) and print each layer's result and a diagnosis.%n"
                + "Exit status: 0 all healthy, 1 something unhealthy, 2 usage error.")
final class CheckCommand implements java.util.concurrent.Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "URL", description = "http:// or https:// URLs to probe")
    private List<String> urls;

    @Option(names = "--json", description = "print JSON instead of text")
    private boolean json;

    @Option(names = "--resolver", paramLabel = "IP[:PORT]", description = "DNS resolver to ask (default: the system's)")
    private List<String> resolvers = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "HTTP request timeout (default ${DEFAULT-VALUE})")
    private int timeoutSeconds = 10;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<URI> targets = new ArrayList<>();
        for (String u : urls) {
            try {
                URI uri = new URI(u);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(u, "not an http(s) URL with a host");
                }
                targets.add(uri);
            } catch (URISyntaxException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "'" + u + "' is not an http(s) URL");
            }
        }
        List<InetSocketAddress> dns = new ArrayList<>();
        for (String r : resolvers) {
            String[] parts = r.split(":");
            dns.add(new InetSocketAddress(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 53));
        }
        Clock clock = Clock.systemUTC();
        Prober prober = Prober.create(new ProbeSettings(dns.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : dns,
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(timeoutSeconds), 1 << 20,
                ProbeSettings.defaultTrustAnchors()), clock);
        PrintWriter err = spec.commandLine().getErr();
        AtomicInteger done = new AtomicInteger();
        List<ProbeResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ProbeResult>> running = new ArrayList<>();
            for (URI target : targets) {
                running.add(pool.submit(() -> {
                    ProbeResult r = prober.probe(ProbeSpec.of(target));
                    if (targets.size() > 1) {
                        err.printf("\rprobed %d of %d", done.incrementAndGet(), targets.size());
                        err.flush();
                    }
                    return r;
                }));
            }
            for (Future<ProbeResult> f : running) {
                results.add(f.get());
            }
        }
        if (targets.size() > 1) {
            err.println();
        }
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode array = JSON.createArrayNode();
        for (ProbeResult r : results) {
            String diagnosis = null;
            String plan = null;
            if (!r.healthy()) {
                AgentReport report = diagnose(r, clock);
                diagnosis = ReportReader.section(report.markdown(), "Root Cause");
                List<String> steps = planLines(report);
                plan = steps.isEmpty() ? null : String.join("; ", steps);
            }
            if (json) {
                ObjectNode node = array.addObject().put("url", r.url().toString())
                        .put("classification", r.classification().name())
                        .put("failed_layer", r.failedLayer() == null ? null : r.failedLayer().name())
                        .put("details", r.details()).put("elapsed_ms", r.elapsed().toMillis());
                ArrayNode items = node.putArray("layers");
                ProbeEvidenceCollector.items(r, r.url().getHost()).forEach(i -> items.addObject()
                        .put("source", i.source()).put("summary", i.summary()));
                node.put("diagnosis", diagnosis).put("plan", plan);
            } else {
                out.printf("%s  %s%s  (%d ms)%n", r.url(), r.classification(),
                        r.failedLayer() == null ? "" : " at " + r.failedLayer(), r.elapsed().toMillis());
                ProbeEvidenceCollector.items(r, r.url().getHost()).stream().skip(1)
                        .forEach(i -> out.printf("  %-5s %s%n", i.source().substring("probe:".length()), i.summary()));
                if (!r.healthy()) {
                    out.printf("  what failed: %s%n", r.details());
                    out.printf("  diagnosis: %s%n", diagnosis.replaceAll("\\s+", " "));
                    if (plan != null) {
                        out.printf("  plan: %s%n", plan);
                    }
                }
            }
        }
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
        }
        out.flush();
        return results.stream().allMatch(ProbeResult::healthy) ? 0 : 1;
    }

    private static AgentReport diagnose(ProbeResult r, Clock clock) {
        String host = r.url().getHost();
        Incident incident = new Incident("check", r.url().toString(), host, r.classification().issueType(),
                Severity.MEDIUM, r.details(), r.checkedAt(), 1);
        EvidencePack evidence = new EvidencePack("check", host, clock.instant(), ProbeEvidenceCollector.items(r, host));
        return new RuleBasedRemediationAgent().analyze(incident, evidence);
    }

    /** The plan in the report's JSON block, one line per step. */
    private static List<String> planLines(AgentReport report) {
        List<String> blocks = ReportReader.jsonBlocks(report.markdown());
        if (blocks.isEmpty() || !(PlanJson.parse(blocks.getFirst()) instanceof PlanParse.Valid valid)) {
            return List.of();
        }
        return valid.plan().steps().stream().map(s -> s.action().name() + (s.action()
                instanceof Action.ManualStep m ? ": " + m.instructions() : "")).toList();
    }
}
