package dev.cloudops.agent.bedrock;

import dev.cloudops.agent.Incident;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.trace.Tracing;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The read tools on the AWS APIs, with the function's read-only role. Parameters are checked before
 * any call, and {@code probe_url} only probes the incident's own host, so the agent cannot make this
 * function fetch arbitrary addresses. Traced, each such probe is a {@code probe <host>} subsegment of the
 * agent's step, annotated with the alert id and the classification.
 */
public final class AwsAgentTools implements AgentTools {

    /** A hosted zone id bare or as Route 53 returns it ({@code /hostedzone/...}); ids need not start with Z. */
    private static final Pattern ZONE = Pattern.compile("(/hostedzone/)?[A-Z0-9]{1,32}");
    private static final Pattern DISTRIBUTION = Pattern.compile("E[A-Z0-9]{5,20}");
    private static final Pattern CERTIFICATE = Pattern.compile("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]{36}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._*-]{1,255}");
    private static final int MAX_ANSWER = 20_000;

    /** One probe of a URL the way detection probes it (DNS, TCP, TLS, HTTP). */
    @FunctionalInterface
    public interface UrlProbe {
        ProbeResult probe(URI url) throws InterruptedException;
    }

    private final Route53Client route53;
    private final CloudFrontClient cloudFront;
    private final AcmClient acm;
    private final S3Client s3;
    private final CloudTrailClient cloudTrail;
    private final UrlProbe probe;
    private final Tracing tracing;
    private final Clock clock;

    public AwsAgentTools(Route53Client route53, CloudFrontClient cloudFront, AcmClient acm, S3Client s3,
            CloudTrailClient cloudTrail, UrlProbe probe, Tracing tracing, Clock clock) {
        this.route53 = route53;
        this.cloudFront = cloudFront;
        this.acm = acm;
        this.s3 = s3;
        this.cloudTrail = cloudTrail;
        this.probe = probe;
        this.tracing = tracing;
        this.clock = clock;
    }

    @Override
    public String call(Incident incident, String function, Map<String, String> p) {
        try {
            String answer = switch (function) {
                case "get_dns_records" -> {
                    String zone = checked(p, "hosted_zone_id", ZONE).replace("/hostedzone/", "");
                    String name = checked(p, "name", NAME).toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
                    yield route53.listResourceRecordSets(b -> b.hostedZoneId(zone).startRecordName(name).maxItems("20"))
                            .resourceRecordSets().stream()
                            .filter(r -> r.name().equalsIgnoreCase(name + "."))
                            .toList().toString();
                }
                case "get_distribution" -> {
                    String id = checked(p, "distribution_id", DISTRIBUTION);
                    var response = cloudFront.getDistribution(b -> b.id(id));
                    yield "ETag=" + response.eTag() + " " + response.distribution();
                }
                case "get_certificate" -> {
                    String arn = checked(p, "certificate_arn", CERTIFICATE);
                    yield acm.describeCertificate(b -> b.certificateArn(arn)).certificate().toString();
                }
                case "get_bucket" -> bucket(checked(p, "bucket", BUCKET));
                case "lookup_recent_changes" -> changes(checked(p, "resource", Pattern.compile("[\\w:/.*@+=,-]{1,1000}")));
                case "probe_url" -> probeOwnHost(incident, p.get("url"));
                default -> "error: unknown function " + function;
            };
            return answer.length() > MAX_ANSWER ? answer.substring(0, MAX_ANSWER) + " …(truncated)" : answer;
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        } catch (SdkException e) {
            return "error: " + describe(e);
        }
    }

    private String bucket(String bucket) {
        List<String> facts = new ArrayList<>();
        facts.add(read("HeadBucket", () -> "region " + s3.headBucket(b -> b.bucket(bucket)).bucketRegion()));
        facts.add(read("GetPublicAccessBlock", () -> s3.getPublicAccessBlock(b -> b.bucket(bucket))
                .publicAccessBlockConfiguration().toString()));
        facts.add(read("GetBucketPolicyStatus", () -> s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus()
                .toString()));
        return "bucket " + bucket + ": " + String.join("; ", facts);
    }

    private String changes(String resource) {
        Instant now = clock.instant();
        return cloudTrail.lookupEvents(b -> b
                        .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(resource))
                        .startTime(now.minus(Duration.ofHours(24))).endTime(now).maxResults(50))
                .events().stream()
                .filter(e -> "false".equalsIgnoreCase(e.readOnly()))
                .map(e -> e.eventTime() + " " + e.eventName() + " by " + e.username() + " (" + e.eventSource() + ")")
                .toList().toString();
    }

    private String probeOwnHost(Incident incident, String url) {
        if (url == null) {
            throw new IllegalArgumentException("missing parameter url");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null
                || !uri.getHost().equalsIgnoreCase(incident.host())) {
            throw new IllegalArgumentException("only http(s) URLs on " + incident.host() + " may be probed");
        }
        try {
            ProbeResult result = tracing.subsegment("probe " + uri.getHost(), span -> {
                span.annotate("alert_id", incident.alertId()).annotate("domain", uri.getHost());
                ProbeResult probed = probe.probe(uri);
                span.annotate("classification", probed.classification().name());
                return probed;
            });
            return result.classification() + ": " + result.details();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error: interrupted";
        }
    }

    private static String read(String call, java.util.function.Supplier<String> read) {
        try {
            return call + ": " + read.get();
        } catch (SdkException e) {
            return call + ": " + describe(e);
        }
    }

    private static String checked(Map<String, String> parameters, String name, Pattern pattern) {
        String value = parameters.get(name);
        if (value == null || !pattern.matcher(value.trim()).matches()) {
            throw new IllegalArgumentException("parameter " + name + " is missing or malformed");
        }
        return value.trim();
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + " (" + s.statusCode() + ")";
        }
        return e.getClass().getSimpleName();
    }
}
