package dev.cloudops.monitor.investigate;

import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.artifact.s3.S3ArtifactStore;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.testing.EvidenceFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.RecordingMetrics;
import dev.cloudops.testing.S3Emulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The investigator's stores on the emulators, for one test: a fresh alerts table (dynalite) and artifacts bucket
 * (S3), the metrics recorded, a fixed clock, and the alert and evidence the investigator tests start from.
 */
final class InvestigatorBed {

    static final Instant DETECTED = Instant.parse("2026-11-27T02:29:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:30:00Z"), ZoneOffset.UTC);

    final DynamoDbAlertRepository alerts;
    final S3ArtifactStore artifacts;
    final RecordingMetrics metrics = new RecordingMetrics();

    InvestigatorBed(Dynalite dynalite, S3Emulator s3) {
        String suffix = UUID.randomUUID().toString();
        dynalite.createTable(AlertsTable.createRequest("alerts-" + suffix));
        alerts = new DynamoDbAlertRepository(dynalite.client(), "alerts-" + suffix, Duration.ofDays(7));
        s3.clients().s3().createBucket(b -> b.bucket("artifacts-" + suffix));
        artifacts = new S3ArtifactStore(s3.clients().s3(), s3.clients().s3Presigner(), "artifacts-" + suffix,
                Duration.ofMinutes(15), Optional.empty());
    }

    /** A stored alert on https://shop.example.com/, detected at {@link #DETECTED}. */
    Alert detect(Severity severity, IssueType type, String details) {
        return alerts.create(Alert.detect("01J" + UUID.randomUUID().toString().replace("-", "").substring(0, 23)
                        .toUpperCase(), DETECTED, URI.create("https://shop.example.com/"), type, severity, details,
                Actor.system("monitor")));
    }

    /** The investigator with this evidence for every alert, {@code agent} (if any) and {@code rules}. */
    AlertInvestigator investigator(EvidencePack pack, Optional<RemediationAgent> agent, RemediationAgent rules) {
        return new AlertInvestigator((alertId, host) -> pack, agent, rules, artifacts, alerts, CLOCK, metrics,
                CostModel.defaults());
    }

    /** As {@link #investigator(EvidencePack, Optional, RemediationAgent)} with the rule engine. */
    AlertInvestigator investigator(EvidencePack pack, Optional<RemediationAgent> agent) {
        return investigator(pack, agent, new RuleBasedRemediationAgent());
    }

    /** The zone, the site's alias record and its disabled distribution. */
    static EvidencePack disabledDistribution() {
        return new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, "shop-site.s3.eu-west-1.amazonaws.com", "E3OAC")
                .pack();
    }
}
