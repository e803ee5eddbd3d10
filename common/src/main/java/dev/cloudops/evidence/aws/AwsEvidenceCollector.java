package dev.cloudops.evidence.aws;

import dev.cloudops.evidence.EvidenceCollector;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link EvidenceCollector} on the AWS APIs, read-only: Route 53 (zone and records of the host),
 * CloudFront (the distribution serving it), ACM (its certificate), S3 (the origin bucket) and
 * CloudTrail (write events on all of those in the lookback window). Each call is one item. It reads in
 * that order, each service through its own reader ({@link HostedZoneReader}, {@link DistributionReader},
 * {@link CertificateReader}, {@link OriginBucketReader}, {@link RecentChangesReader}), one answer leading
 * to the next read, into one {@link EvidenceReads}. A certificate's pending DNS validation records are read in the
 * host's zone too.
 */
public final class AwsEvidenceCollector implements EvidenceCollector {

    private final HostedZoneReader zones;
    private final DistributionReader distributions;
    private final CertificateReader certificates;
    private final OriginBucketReader originBuckets;
    private final RecentChangesReader recentChanges;
    private final Clock clock;

    public AwsEvidenceCollector(Route53Client route53, CloudFrontClient cloudFront, AcmClient acm, S3Client s3,
            CloudTrailClient cloudTrail, Clock clock, Duration lookback) {
        this.zones = new HostedZoneReader(route53);
        this.distributions = new DistributionReader(cloudFront);
        this.certificates = new CertificateReader(acm, clock);
        this.originBuckets = new OriginBucketReader(s3);
        this.recentChanges = new RecentChangesReader(cloudTrail, lookback);
        this.clock = clock;
    }

    @Override
    public EvidencePack collect(String alertId, String host) {
        Instant started = clock.instant();
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        EvidenceReads reads = new EvidenceReads(clock);
        Set<String> resources = new LinkedHashSet<>();

        Optional<String> zoneId = zones.zoneId(reads, name);
        Optional<String> aliasTarget = Optional.empty();
        if (zoneId.isPresent()) {
            resources.add(zoneId.get());
            aliasTarget = zones.aliasTarget(reads, zoneId.get(), name);
        }
        Optional<GetDistributionResponse> distribution = distributions.distribution(reads, name, aliasTarget);
        distribution.ifPresent(d -> resources.add(d.distribution().id()));

        String certificateArn = distribution
                .map(d -> d.distribution().distributionConfig().viewerCertificate().acmCertificateArn())
                .orElse(null);
        certificates.certificate(reads, name, certificateArn).ifPresent(resources::add);
        zoneId.ifPresent(zone -> validationRecords(reads, zone));

        distribution.ifPresent(d -> resources.addAll(originBuckets.buckets(reads, d)));
        for (String resource : resources) {
            recentChanges.read(reads, resource, started);
        }
        return new EvidencePack(alertId, name, started, reads.items());
    }

    /**
     * Records, in the host's zone, each record a pending validation of the certificate needs: restoring a missing
     * one is the fix of a blocked renewal, and a plan that writes a record needs its state at analysis.
     */
    private void validationRecords(EvidenceReads reads, String zoneId) {
        Optional<String> zoneName = reads.items().stream()
                .filter(i -> i.source().equals("route53:ListHostedZonesByName") && i.status() == EvidenceStatus.OK
                        && i.subject().equals(zoneId))
                .map(i -> normal(i.data().path("name").asText())).findFirst();
        List<String> names = new ArrayList<>();
        reads.items().stream().filter(i -> i.source().equals("acm:DescribeCertificate")
                && i.status() == EvidenceStatus.OK).forEach(i -> i.data().path("validation").forEach(v -> {
                    String record = normal(v.path("record_name").asText(""));
                    if (!"SUCCESS".equals(v.path("status").asText()) && !record.isEmpty() && zoneName.isPresent()
                            && (record.equals(zoneName.get()) || record.endsWith("." + zoneName.get()))
                            && !names.contains(record)) {
                        names.add(record);
                    }
                }));
        names.forEach(record -> zones.records(reads, zoneId, record));
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** What a failed call means for the evidence; see {@link AwsErrors#statusOf(SdkException)}. */
    static EvidenceStatus statusOf(SdkException e) {
        return AwsErrors.statusOf(e);
    }
}
