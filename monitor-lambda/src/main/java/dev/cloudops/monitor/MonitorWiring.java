package dev.cloudops.monitor;

import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.monitor.probe.ProbeRunner;
import dev.cloudops.monitor.probe.ProbeSettings;
import dev.cloudops.monitor.probe.Prober;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.target.dynamodb.DynamoDbProbeStateStore;
import dev.cloudops.monitor.target.s3.S3TargetSource;
import dev.cloudops.monitor.target.ssm.SsmTargetSource;
import java.security.SecureRandom;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import org.xbill.DNS.ResolverConfig;

/** The monitor function's composition root: plain constructors, no container. */
final class MonitorWiring {

    private MonitorWiring() {
    }

    static DomainMonitor domainMonitor(MonitorConfig config, AwsClients clients, Clock clock) {
        DynamoDbClient dynamoDb = clients.dynamoDb();
        var resolvers = config.resolvers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : config.resolvers();
        ProbeSettings settings = new ProbeSettings(resolvers, config.dnsTimeout(), config.connectTimeout(),
                config.requestTimeout(), config.maxBodyBytes(), ProbeSettings.defaultTrustAnchors());
        ProbeRunner runner = new ProbeRunner(Prober.create(settings, clock), config.concurrency(), config.maxOpen(),
                config.stallAfter(), clock);
        TargetSource source = switch (config.targets()) {
            case MonitorConfig.TargetsLocation.Inline i -> TargetSource.inline(i.document());
            case MonitorConfig.TargetsLocation.S3Object s -> new S3TargetSource(clients.s3(), s.bucket(), s.key());
            case MonitorConfig.TargetsLocation.SsmParameter p -> new SsmTargetSource(clients.ssm(), p.name());
        };
        return new DomainMonitor(source, runner,
                new DynamoDbProbeStateStore(dynamoDb, config.controlTable()),
                new DynamoDbOpenAlertClaims(dynamoDb, config.controlTable()),
                new DynamoDbAlertRepository(dynamoDb, config.storage().alertsTable(), config.storage().alertRetention()),
                new NoInvestigator(), new LoggingMonitorEvents(), new UlidGenerator(clock, new SecureRandom()), clock,
                config.manualSeverity());
    }

}
