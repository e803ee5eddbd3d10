package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.aws.EvidenceReads.Observed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

/**
 * Records the S3 buckets a distribution's origins point at: that each exists, its website hosting, its
 * public access block and whether its policy is public, the settings that decide whether CloudFront can
 * read the site.
 */
final class OriginBucketReader {

    private static final Pattern S3_ORIGIN =
            Pattern.compile("^(.+?)\\.s3(?:-website)?(?:[.-][a-z0-9-]+)?\\.amazonaws\\.com$");

    private final S3Client s3;

    OriginBucketReader(S3Client s3) {
        this.s3 = s3;
    }

    /** Records every S3 origin bucket of the distribution; returns their names, in the origins' order. */
    List<String> buckets(EvidenceReads reads, GetDistributionResponse distribution) {
        List<String> buckets = new ArrayList<>();
        for (Origin origin : distribution.distribution().distributionConfig().origins().items()) {
            Matcher m = S3_ORIGIN.matcher(origin.domainName());
            if (m.matches()) {
                bucket(reads, m.group(1));
                buckets.add(m.group(1));
            }
        }
        return buckets;
    }

    private void bucket(EvidenceReads reads, String bucket) {
        reads.read("s3:HeadBucket", bucket, () -> Optional.of(s3.headBucket(b -> b.bucket(bucket))), head -> {
            ObjectNode data = EvidenceReads.object();
            data.put("bucket", bucket);
            data.put("region", head.bucketRegion());
            return new Observed(EvidenceStatus.OK, "bucket " + bucket + " exists", data);
        });
        reads.read("s3:GetBucketWebsite", bucket, () -> Optional.of(s3.getBucketWebsite(b -> b.bucket(bucket))),
                website -> {
                    ObjectNode data = EvidenceReads.object();
                    data.put("index_document", website.indexDocument() == null ? null
                            : website.indexDocument().suffix());
                    data.put("error_document", website.errorDocument() == null ? null
                            : website.errorDocument().key());
                    return new Observed(EvidenceStatus.OK, "bucket " + bucket + " has website hosting (index "
                            + data.get("index_document").asText() + ")", data);
                });
        reads.read("s3:GetPublicAccessBlock", bucket,
                () -> Optional.of(s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration()),
                block -> publicAccess(bucket, block));
        reads.read("s3:GetBucketPolicyStatus", bucket,
                () -> Optional.of(s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus()),
                status -> {
                    ObjectNode data = EvidenceReads.object();
                    data.put("is_public", status.isPublic());
                    return new Observed(EvidenceStatus.OK, "the policy of bucket " + bucket + " is "
                            + (Boolean.TRUE.equals(status.isPublic()) ? "public" : "not public"), data);
                });
    }

    private static Observed publicAccess(String bucket, PublicAccessBlockConfiguration block) {
        ObjectNode data = EvidenceReads.object();
        data.put("block_public_acls", block.blockPublicAcls());
        data.put("ignore_public_acls", block.ignorePublicAcls());
        data.put("block_public_policy", block.blockPublicPolicy());
        data.put("restrict_public_buckets", block.restrictPublicBuckets());
        boolean all = Boolean.TRUE.equals(block.blockPublicAcls()) && Boolean.TRUE.equals(block.ignorePublicAcls())
                && Boolean.TRUE.equals(block.blockPublicPolicy()) && Boolean.TRUE.equals(block.restrictPublicBuckets());
        return new Observed(EvidenceStatus.OK, "bucket " + bucket + (all ? " blocks all public access"
                : " allows some public access"), data);
    }
}
