package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link EvidenceCollector} on the AWS APIs, read-only: Route 53 (zone and records of the host),
 * CloudFront (the distribution serving it), ACM (its certificate), S3 (the origin bucket) and
 * CloudTrail (write events on all of those in the lookback window). Each call is one item.
 */
public final class AwsEvidenceCollector implements EvidenceCollector {


    private final HostedZoneReader zones;
    private final DistributionReader distributions;
    private final CertificateReader certificates;
    private final OriginBucketReader originBuckets;
    private final CloudTrailClient cloudTrail;
    private final Clock clock;
    private final Duration lookback;

    public AwsEvidenceCollector(Route53Client route53, CloudFrontClient cloudFront, AcmClient acm, S3Client s3,
            CloudTrailClient cloudTrail, Clock clock, Duration lookback) {
        this.zones = new HostedZoneReader(route53);
        this.distributions = new DistributionReader(cloudFront);
        this.certificates = new CertificateReader(acm, clock);
        this.originBuckets = new OriginBucketReader(s3);
        this.cloudTrail = cloudTrail;
        this.clock = clock;
        this.lookback = lookback;
    }

    @Override
    public EvidencePack collect(String alertId, String host) {
        Instant started = clock.instant();
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        EvidenceReads pack = new EvidenceReads(clock);
        Set<String> resources = new LinkedHashSet<>();

        Optional<String> zoneId = zones.zoneId(pack, name);
        Optional<String> aliasTarget = Optional.empty();
        if (zoneId.isPresent()) {
            resources.add(zoneId.get());
            aliasTarget = zones.aliasTarget(pack, zoneId.get(), name);
        }
        Optional<GetDistributionResponse> distribution = distributions.distribution(pack, name, aliasTarget);
        distribution.ifPresent(d -> resources.add(d.distribution().id()));

        String certificateArn = distribution
                .map(d -> d.distribution().distributionConfig().viewerCertificate().acmCertificateArn())
                .orElse(null);
        certificates.certificate(pack, name, certificateArn).ifPresent(resources::add);

        distribution.ifPresent(d -> resources.addAll(originBuckets.buckets(pack, d)));
        for (String resource : resources) {
            recentChanges(pack, resource, started);
        }
        return new EvidencePack(alertId, name, started, pack.items());
    }

    private void recentChanges(EvidenceReads pack, String resource, Instant now) {
        Instant since = now.minus(lookback);
        pack.read("cloudtrail:LookupEvents", resource, () -> Optional.of(cloudTrail.lookupEvents(b -> b
                        .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(resource))
                        .startTime(since).endTime(now).maxResults(50)).events().stream()
                        .filter(e -> "false".equalsIgnoreCase(e.readOnly()))
                        .toList()),
                events -> {
                    ObjectNode data = EvidenceReads.object();
                    ArrayNode list = data.putArray("events");
                    for (Event e : events) {
                        ObjectNode node = list.addObject();
                        node.put("time", String.valueOf(e.eventTime()));
                        node.put("name", e.eventName());
                        node.put("user", e.username());
                        node.put("source", e.eventSource());
                        node.put("event_id", e.eventId());
                    }
                    String summary = events.isEmpty()
                            ? "no write events on " + resource + " in the last " + lookback.toHours() + " h"
                            : events.size() + (events.size() == 1 ? " write event on " : " write events on ") + resource
                                    + " in the last " + lookback.toHours()
                                    + " h: " + events.stream().map(e -> e.eventName() + " by " + e.username() + " at "
                                    + e.eventTime()).toList();
                    return new EvidenceReads.Observed(EvidenceStatus.OK, summary, data);
                });
    }

    /** What a failed call means for the evidence; see {@link AwsErrors#statusOf(SdkException)}. */
    static EvidenceStatus statusOf(SdkException e) {
        return AwsErrors.statusOf(e);
    }
}
