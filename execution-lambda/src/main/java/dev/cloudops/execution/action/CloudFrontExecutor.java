package dev.cloudops.execution.action;

import static dev.cloudops.execution.action.Route53Executor.message;
import static dev.cloudops.execution.action.Route53Executor.requestId;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.SSLSupportMethod;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * The CloudFront actions. Configuration changes read the distribution (config and ETag) and update it
 * with {@code IfMatch} on the ETag observed, so a change made meanwhile fails with PreconditionFailed;
 * invalidations carry a CallerReference made of alert id and step, so a retry never invalidates twice.
 */
public final class CloudFrontExecutor implements StepExecutor {

    /** The distribution as read: its ETag and configuration. */
    record Snapshot(String etag, DistributionConfig config) {
    }

    private static final String DEFAULT_TLS = "TLSv1.2_2021";

    private final CloudFrontClient cloudFront;
    private final Clock clock;

    public CloudFrontExecutor(CloudFrontClient cloudFront, Clock clock) {
        this.cloudFront = cloudFront;
        this.clock = clock;
    }

    @Override
    public boolean handles(Action action) {
        return action instanceof Action.SetEnabled || action instanceof Action.SetOrigin
                || action instanceof Action.SetViewerCertificate || action instanceof Action.CreateInvalidation;
    }

    @Override
    public List<String> resources(Action action) {
        return List.of("cloudfront:" + distribution(action));
    }

    @Override
    public Observation observe(PlanStep step) {
        GetDistributionResponse response = cloudFront.getDistribution(b -> b.id(distribution(step.action())));
        DistributionConfig config = response.distribution().distributionConfig();
        Map<String, String> facts = new HashMap<>();
        facts.put("etag", response.eTag());
        facts.put("status", response.distribution().status());
        facts.put("enabled", String.valueOf(config.enabled()));
        facts.put("domain_name", response.distribution().domainName());
        String originId = step.action() instanceof Action.SetOrigin o ? o.originId() : null;
        config.origins().items().stream().filter(o -> originId == null || o.id().equals(originId)).findFirst()
                .ifPresent(o -> facts.put("origin_domain", o.domainName()));
        ViewerCertificate viewer = config.viewerCertificate();
        if (viewer != null) {
            if (viewer.acmCertificateArn() != null) {
                facts.put("certificate_arn", viewer.acmCertificateArn());
            }
            if (viewer.minimumProtocolVersionAsString() != null) {
                facts.put("minimum_protocol_version", viewer.minimumProtocolVersionAsString());
            }
        }
        return new Observation(facts, new Snapshot(response.eTag(), config));
    }

    @Override
    public AppliedStep apply(String alertId, PlanStep step, Observation before) {
        Snapshot snapshot = (Snapshot) before.snapshot();
        return switch (step.action()) {
            case Action.CreateInvalidation i -> new AppliedStep(step, before, invalidate(alertId, step.id(), i), false);
            case Action.SetEnabled e -> new AppliedStep(step, before, update(e.distributionId(), snapshot,
                    c -> c.toBuilder().enabled(e.enabled()).build(), "Enabled=" + e.enabled()), true);
            case Action.SetOrigin o -> {
                if (snapshot.config().origins().items().stream().noneMatch(x -> x.id().equals(o.originId()))) {
                    throw new StepFailedException("distribution " + o.distributionId() + " has no origin "
                            + o.originId(), List.of(), null);
                }
                yield new AppliedStep(step, before, update(o.distributionId(), snapshot,
                        c -> withOrigin(c, o.originId(), o.domainName()), "Origin " + o.originId() + " DomainName="
                                + o.domainName()), true);
            }
            case Action.SetViewerCertificate v -> new AppliedStep(step, before, update(v.distributionId(), snapshot,
                    c -> c.toBuilder().viewerCertificate(ViewerCertificate.builder()
                            .acmCertificateArn(v.certificateArn()).sslSupportMethod(SSLSupportMethod.SNI_ONLY)
                            .minimumProtocolVersion(v.minimumProtocolVersion() == null ? DEFAULT_TLS
                                    : v.minimumProtocolVersion())
                            .cloudFrontDefaultCertificate(false).build()).build(),
                    "ViewerCertificate=" + v.certificateArn()), true);
            default -> throw new IllegalArgumentException("not a CloudFront action: " + step.action().name());
        };
    }

    @Override
    public List<CallRecord> undo(AppliedStep applied) {
        if (!applied.reversible()) {
            return List.of();
        }
        DistributionConfig was = ((Snapshot) applied.before().snapshot()).config();
        String id = distribution(applied.step().action());
        Instant start = clock.instant();
        GetDistributionResponse now;
        try {
            now = cloudFront.getDistribution(b -> b.id(id));
        } catch (SdkException e) {
            throw new StepFailedException("could not read distribution " + id + " to restore it: " + message(e),
                    List.of(), e);
        }
        List<CallRecord> calls = new ArrayList<>();
        calls.add(new CallRecord("cloudfront:GetDistribution", id, now.responseMetadata().requestId(),
                "ETag " + now.eTag(), Duration.between(start, clock.instant())));
        Snapshot current = new Snapshot(now.eTag(), now.distribution().distributionConfig());
        UnaryOperator<DistributionConfig> restore = switch (applied.step().action()) {
            case Action.SetEnabled e -> c -> c.toBuilder().enabled(was.enabled()).build();
            case Action.SetOrigin o -> c -> withOrigin(c, o.originId(), was.origins().items().stream()
                    .filter(x -> x.id().equals(o.originId())).findFirst().orElseThrow().domainName());
            case Action.SetViewerCertificate v -> c -> c.toBuilder().viewerCertificate(was.viewerCertificate()).build();
            default -> UnaryOperator.identity();
        };
        try {
            calls.addAll(update(id, current, restore, "restore the configuration before " + applied.step().id()));
        } catch (StepFailedException e) {
            calls.addAll(e.calls());
            throw new StepFailedException(e.getMessage(), calls, e);
        }
        return calls;
    }

    private List<CallRecord> update(String id, Snapshot from, UnaryOperator<DistributionConfig> change, String what) {
        Instant start = clock.instant();
        try {
            var response = cloudFront.updateDistribution(b -> b.id(id).ifMatch(from.etag())
                    .distributionConfig(change.apply(from.config())));
            return List.of(new CallRecord("cloudfront:UpdateDistribution", id + " IfMatch " + from.etag() + ": " + what,
                    response.responseMetadata().requestId(), "ETag " + response.eTag() + ", "
                    + response.distribution().status(), Duration.between(start, clock.instant())));
        } catch (SdkException e) {
            List<CallRecord> calls = List.of(new CallRecord("cloudfront:UpdateDistribution", id + " IfMatch "
                    + from.etag() + ": " + what, requestId(e), "refused: " + message(e),
                    Duration.between(start, clock.instant())));
            throw new StepFailedException("CloudFront refused the update of " + id + ": " + message(e), calls, e);
        }
    }

    private List<CallRecord> invalidate(String alertId, String stepId, Action.CreateInvalidation i) {
        String reference = "cloudops-" + alertId + "-" + stepId;
        Instant start = clock.instant();
        try {
            var response = cloudFront.createInvalidation(b -> b.distributionId(i.distributionId())
                    .invalidationBatch(batch -> batch.callerReference(reference)
                            .paths(p -> p.quantity(i.paths().size()).items(i.paths()))));
            return List.of(new CallRecord("cloudfront:CreateInvalidation", i.distributionId() + " " + i.paths()
                    + " CallerReference " + reference, response.responseMetadata().requestId(),
                    response.invalidation().id() + " " + response.invalidation().status(),
                    Duration.between(start, clock.instant())));
        } catch (SdkException e) {
            List<CallRecord> calls = List.of(new CallRecord("cloudfront:CreateInvalidation", i.distributionId() + " "
                    + i.paths(), requestId(e), "refused: " + message(e), Duration.between(start, clock.instant())));
            throw new StepFailedException("CloudFront refused the invalidation: " + message(e), calls, e);
        }
    }

    private static DistributionConfig withOrigin(DistributionConfig c, String originId, String domain) {
        List<Origin> origins = c.origins().items().stream()
                .map(o -> o.id().equals(originId) ? o.toBuilder().domainName(domain).build() : o).toList();
        return c.toBuilder().origins(c.origins().toBuilder().items(origins).build()).build();
    }

    private static String distribution(Action action) {
        return switch (action) {
            case Action.SetEnabled e -> e.distributionId();
            case Action.SetOrigin o -> o.distributionId();
            case Action.SetViewerCertificate v -> v.distributionId();
            case Action.CreateInvalidation i -> i.distributionId();
            default -> throw new IllegalArgumentException("not a CloudFront action: " + action.name());
        };
    }
}
