package dev.cloudops.local;

import dev.cloudops.local.demo.DemoCloud;
import dev.cloudops.local.demo.DemoRecurrence;
import dev.cloudops.local.demo.DemoResolver;
import dev.cloudops.local.demo.DemoSite;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteRunbookStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts a broken local site and a small demo AWS account holding its DNS zone and certificate, and
 * serves the pipeline against them with the account's credentials, probing from three sites: two on a working demo
 * resolver and one ({@code site-c}) on a resolver that has lost the status page's name. Once the certificate's fix
 * was verified and a runbook promoted, the problem comes back, so the runbook's plan is proposed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a deliberately broken local site (a certificate expiring in 2 days because its DNS "
                + "validation record was deleted, an API answering 503), a demo AWS account holding the site's zone "
                + "and certificate, and run serve against them from three probe sites, one of which has a broken DNS "
                + "resolver (its failure stays a regional observation). Approve the shop's plan: it restores the "
                + "record, the certificate renews, and a runbook is learned; promote it with `runbooks promote`, "
                + "and the problem comes back with the runbook's plan proposed.")
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    /** Where {@link DemoSite} keeps its files, beside the configuration (its trust list names the CA there). */
    private static final String SITE = "site";
    /** How long after the verified fix, with a runbook active, the problem comes back. */
    private static final Duration RECUR_AFTER = Duration.ofSeconds(20);

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: ${DEFAULT-VALUE})")
    private Path data = Path.of("cloudops-demo");

    @Option(names = "--port", paramLabel = "PORT", description = "portal port, 0 for any free one (default: ${DEFAULT-VALUE})")
    private int port = 8080;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Files.createDirectories(data);
        DemoSite site = DemoSite.start(data.resolve(SITE));
        DemoCloud cloud = DemoCloud.start(site, Clock.systemUTC());
        DemoResolver resolver = DemoResolver.working();
        DemoResolver broken = DemoResolver.losing(site.statusUrl().getHost());
        ScheduledExecutorService recurrences = Executors.newSingleThreadScheduledExecutor();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            recurrences.shutdownNow();
            cloud.close();
            site.close();
            resolver.close();
            broken.close();
        }));
        Path config = data.resolve("cloudops.yaml");
        Files.writeString(config, config(site, port, resolver, broken, cloud));
        LocalConfig loaded = LocalConfig.load(config);
        System.out.println("demo site: " + site.shopUrl() + " (certificate expires in 2 days), " + site.apiUrl()
                + " (answers 503) and " + site.statusUrl() + " (healthy)");
        System.out.println("demo AWS account: " + cloud.endpoint() + " (Route 53 zone " + DemoCloud.ZONE_NAME
                + " and the shop's ACM certificate, whose DNS validation record was deleted, so ACM cannot renew it; "
                + "the pipeline reads and changes it with the AWS SDK, as in a real account)");
        System.out.println("probe sites: site-a and site-b resolve through " + resolver.hostAndPort()
                + "; site-c: a broken resolver (" + broken.hostAndPort() + " answers NXDOMAIN for "
                + site.statusUrl().getHost() + "), so it alone fails on " + site.statusUrl().getHost()
                + ": a regional observation, not an alert (2 of 3 sites needed)");
        System.out.println("configuration written to " + config);
        System.out.println("approve the shop's alert: its plan restores the validation record, ACM renews, the fix is "
                + "verified and a runbook candidate is learned; then list and promote it from another terminal:\n"
                + "    java -jar local/target/cloudops-local.jar runbooks --data " + loaded.dataDir() + "\n"
                + "    java -jar local/target/cloudops-local.jar runbooks promote RUNBOOK_ID --by \"Your Name\" --data "
                + loaded.dataDir() + "\n"
                + "once a runbook is active (and at least " + RECUR_AFTER.toSeconds() + " s after the fix), the problem "
                + "comes back, and its new alert is analysed by the runbook");
        LocalPipeline pipeline = LocalPipeline.start(loaded, DemoCloud.CREDENTIALS, Clock.systemUTC(), System.out);
        DemoRecurrence recurrence = new DemoRecurrence(cloud, new SqliteRunbookStore(SqliteDatabase.open(
                loaded.dataDir())), RECUR_AFTER, Clock.systemUTC(), System.out);
        recurrences.scheduleWithFixedDelay(() -> {
            try {
                recurrence.check();
            } catch (RuntimeException e) {
                LOG.warn("the demo's recurrence check failed: {}", e.toString());
            }
        }, 5, 5, TimeUnit.SECONDS);
        return ServeCommand.run(loaded, pipeline);
    }

    static String config(DemoSite site, int port, DemoResolver resolver, DemoResolver broken, DemoCloud cloud) {
        return """
                # Generated by `cloudops-local demo`; see examples/cloudops.yaml for every option.
                # Three probe sites vote: a failure is an alert when 2 of them see it. site-c's resolver answers
                # NXDOMAIN for the status page's name, so its failure there stays a regional observation.
                # The AWS account is the demo's own (on loopback); the demo passes its credentials itself.
                data_dir: data
                portal:
                  host: 127.0.0.1
                  port: %d
                probe_interval: 10s
                probe_sites:
                  - name: site-a
                    resolvers: [%s]
                  - name: site-b
                    resolvers: [%s]
                  - name: site-c
                    resolvers: [%s]
                quorum: 2
                regional_alert_after: "off"
                aws:
                  region: us-east-1
                  endpoint: %s
                execution:
                  verify_deadline: 60s
                trust:
                  - %s
                targets:
                  - url: %s
                    severity: medium
                    cert_warning_days: 14
                    failures_before_alert: 1
                  - url: %s
                    severity: low
                    failures_before_alert: 1
                  - url: %s
                    severity: low
                    failures_before_alert: 1
                """.formatted(port, resolver.hostAndPort(), resolver.hostAndPort(), broken.hostAndPort(),
                cloud.endpoint(), SITE + "/" + site.authority().getFileName(), site.shopUrl(), site.apiUrl(), site.statusUrl());
    }
}
