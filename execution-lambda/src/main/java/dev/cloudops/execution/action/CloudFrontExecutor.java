package dev.cloudops.execution.action;

import static dev.cloudops.execution.action.Route53Executor.message;
import static dev.cloudops.execution.action.Route53Executor.requestId;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.SSLSupportMethod;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * The CloudFront actions. Configuration changes read the distribution (config and ETag) and update it
 * with {@code IfMatch} on the ETag observed, so a change made meanwhile fails with PreconditionFailed;
 * invalidations carry a CallerReference made of alert id and step, so a retry never invalidates twice.
 * A restore puts back the configuration captured before the step with {@code IfMatch} on the ETag this
 * execution's own last update returned, so it never overwrites a change someone made since.
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

    /** The distribution's ETag as the evidence's {@code cloudfront:GetDistribution} read saw it. */
    @Override
    public Optional<Map<String, String>> analysed(PlanStep step, JsonNode evidence) {
        String id = distribution(step.action());
        for (JsonNode item : evidence == null ? List.<JsonNode>of() : evidence) {
            JsonNode data = item.path("data");
            if ("cloudfront:GetDistribution".equals(item.path("source").asText())
                    && (id.equals(item.path("subject").asText()) || id.equals(data.path("id").asText()))
                    && data.hasNonNull("etag")) {
                return Optional.of(Map.of("etag", data.path("etag").asText()));
            }
        }
        return Optional.empty();
    }

    @Override
    public AppliedStep apply(String alertId, PlanStep step, Observation before) {
        Snapshot snapshot = (Snapshot) before.snapshot();
        return switch (step.action()) {
            case Action.CreateInvalidation i -> new AppliedStep(step, before, invalidate(alertId, step.id(), i), false,
                    null);
            case Action.SetEnabled e -> applied(step, before, update(e.distributionId(), snapshot.etag(),
                    changed(snapshot, c -> c.toBuilder().enabled(e.enabled()).build()), "Enabled=" + e.enabled()));
            case Action.SetOrigin o -> {
                if (snapshot.config().origins().items().stream().noneMatch(x -> x.id().equals(o.originId()))) {
                    throw new StepFailedException("distribution " + o.distributionId() + " has no origin "
                            + o.originId(), List.of(), null);
                }
                yield applied(step, before, update(o.distributionId(), snapshot.etag(),
                        changed(snapshot, c -> withOrigin(c, o.originId(), o.domainName())), "Origin " + o.originId()
                                + " DomainName=" + o.domainName()));
            }
            case Action.SetViewerCertificate v -> applied(step, before, update(v.distributionId(), snapshot.etag(),
                    changed(snapshot, c -> c.toBuilder().viewerCertificate(ViewerCertificate.builder()
                            .acmCertificateArn(v.certificateArn()).sslSupportMethod(SSLSupportMethod.SNI_ONLY)
                            .minimumProtocolVersion(v.minimumProtocolVersion() == null ? DEFAULT_TLS
                                    : v.minimumProtocolVersion())
                            .cloudFrontDefaultCertificate(false).build()).build()),
                    "ViewerCertificate=" + v.certificateArn()));
            default -> throw new IllegalArgumentException("not a CloudFront action: " + step.action().name());
        };
    }

    /**
     * Puts back the whole configuration captured before the step, with {@code IfMatch} on {@code version}:
     * the ETag this execution's last update of the distribution returned. Anyone else's change since makes
     * CloudFront refuse it (PreconditionFailed), and the distribution is left as they made it.
     */
    @Override
    public Undone undo(AppliedStep applied, String version) {
        if (!applied.reversible()) {
            return new Undone(List.of(), version);
        }
        DistributionConfig was = ((Snapshot) applied.before().snapshot()).config();
        String id = distribution(applied.step().action());
        try {
            Updated restored = update(id, version, was, "restore the configuration before " + applied.step().id());
            return new Undone(restored.calls(), restored.etag());
        } catch (StepFailedException e) {
            throw new StepFailedException(e.getCause() instanceof CloudFrontException c && c.statusCode() == 412
                    ? "distribution " + id + " was changed by someone else after this execution's update (ETag "
                            + version + " is no longer current); it was not restored over their change"
                    : e.getMessage(), e.calls(), e);
        }
    }

    /** The distribution must still carry the ETag the step's update returned. */
    @Override
    public Optional<String> changedSince(PlanStep step, Observation now, String version) {
        String etag = now.facts().get("etag");
        return version != null && version.equals(etag) ? Optional.empty()
                : Optional.of("distribution " + distribution(step.action()) + " has ETag " + etag + " now, not "
                        + version + " as the step left it");
    }

    /** An update's call and the ETag it returned. */
    private record Updated(List<CallRecord> calls, String etag) {
    }

    private static AppliedStep applied(PlanStep step, Observation before, Updated updated) {
        return new AppliedStep(step, before, updated.calls(), true, updated.etag());
    }

    private static DistributionConfig changed(Snapshot from, UnaryOperator<DistributionConfig> change) {
        return change.apply(from.config());
    }

    private Updated update(String id, String ifMatch, DistributionConfig config, String what) {
        Instant start = clock.instant();
        try {
            var response = cloudFront.updateDistribution(b -> b.id(id).ifMatch(ifMatch).distributionConfig(config));
            return new Updated(List.of(new CallRecord("cloudfront:UpdateDistribution", id + " IfMatch " + ifMatch
                    + ": " + what, response.responseMetadata().requestId(), "ETag " + response.eTag() + ", "
                    + response.distribution().status(), Duration.between(start, clock.instant()))), response.eTag());
        } catch (SdkException e) {
            List<CallRecord> calls = List.of(new CallRecord("cloudfront:UpdateDistribution", id + " IfMatch "
                    + ifMatch + ": " + what, requestId(e), "refused: " + message(e),
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
