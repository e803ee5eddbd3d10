package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.aws.EvidenceReads.Observed;
import java.util.Optional;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;

/**
 * Finds the CloudFront distribution serving the host (by alias, or by the domain name its DNS alias points
 * at) and records its configuration, whose origins and viewer certificate lead to the next reads.
 */
final class DistributionReader {

    private static final int MAX_DISTRIBUTION_PAGES = 20;

    private final CloudFrontClient cloudFront;

    DistributionReader(CloudFrontClient cloudFront) {
        this.cloudFront = cloudFront;
    }

    /** Records the distribution of {@code host}; returns it when it was found and read. */
    Optional<GetDistributionResponse> distribution(EvidenceReads reads, String host, Optional<String> aliasTarget) {
        Optional<DistributionSummary> summary = reads.read("cloudfront:ListDistributions", host,
                () -> find(host, aliasTarget), null);
        if (reads.failedLast()) {
            return Optional.empty();
        }
        if (summary.isEmpty()) {
            reads.add("cloudfront:ListDistributions", host, EvidenceStatus.NOT_FOUND,
                    "no CloudFront distribution has the alias " + host
                            + aliasTarget.map(t -> " or the domain name " + t).orElse(""), null);
            return Optional.empty();
        }
        String id = summary.get().id();
        return reads.read("cloudfront:GetDistribution", id,
                () -> Optional.of(cloudFront.getDistribution(b -> b.id(id))),
                DistributionReader::describe);
    }

    private Optional<DistributionSummary> find(String host, Optional<String> aliasTarget) {
        String marker = null;
        for (int page = 0; page < MAX_DISTRIBUTION_PAGES; page++) {
            String current = marker;
            var list = cloudFront.listDistributions(b -> b.marker(current)).distributionList();
            for (DistributionSummary d : list.items()) {
                boolean byAlias = d.aliases() != null && d.aliases().items().stream()
                        .anyMatch(a -> a.equalsIgnoreCase(host));
                boolean byTarget = aliasTarget.isPresent() && d.domainName().equalsIgnoreCase(aliasTarget.get());
                if (byAlias || byTarget) {
                    return Optional.of(d);
                }
            }
            if (!Boolean.TRUE.equals(list.isTruncated())) {
                break;
            }
            marker = list.nextMarker();
        }
        return Optional.empty();
    }

    private static Observed describe(GetDistributionResponse response) {
        var d = response.distribution();
        var config = d.distributionConfig();
        ObjectNode data = EvidenceReads.object();
        data.put("id", d.id());
        data.put("arn", d.arn());
        data.put("status", d.status());
        data.put("enabled", config.enabled());
        data.put("domain_name", d.domainName());
        data.put("etag", response.eTag());
        data.put("last_modified", String.valueOf(d.lastModifiedTime()));
        ArrayNode aliases = data.putArray("aliases");
        if (config.aliases() != null) {
            config.aliases().items().forEach(aliases::add);
        }
        ArrayNode origins = data.putArray("origins");
        for (Origin o : config.origins().items()) {
            ObjectNode origin = origins.addObject();
            origin.put("id", o.id());
            origin.put("domain_name", o.domainName());
            origin.put("origin_path", o.originPath());
            origin.put("origin_access_control_id", o.originAccessControlId());
        }
        var certificate = config.viewerCertificate();
        ObjectNode viewer = data.putObject("viewer_certificate");
        viewer.put("acm_certificate_arn", certificate.acmCertificateArn());
        viewer.put("cloudfront_default_certificate", certificate.cloudFrontDefaultCertificate());
        viewer.put("minimum_protocol_version", certificate.minimumProtocolVersionAsString());
        String summaryText = "distribution " + d.id() + " (" + d.domainName() + ") is "
                + (config.enabled() ? "enabled" : "DISABLED") + " and " + d.status()
                + ", origins " + config.origins().items().stream().map(Origin::domainName).toList()
                + ", certificate " + (certificate.acmCertificateArn() == null ? "CloudFront default"
                : certificate.acmCertificateArn());
        return new Observed(EvidenceStatus.OK, summaryText, data);
    }
}
