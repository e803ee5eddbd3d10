package dev.cloudops.execution.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.edge.EdgeEndpoint;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;

/**
 * The CloudFront configuration steps and their undo on the edge stand-in and on moto: GetDistribution, then
 * UpdateDistribution of the whole configuration with IfMatch, read back with GetDistributionConfig. (The
 * request as sent stays on WireMock: CloudFrontStepsIT; IfMatch refusals in the middle of a plan:
 * ExecutionSafetyIT.)
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.edge.EdgeEndpoint#all")
@ExtendWith(Emulators.class)
class CloudFrontExecutorEdgeIT {

    private static final String OLD_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-"
            + "123456789abc";
    private static final String NEW_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-"
            + "9e0f1a2b3c4d";

    @Parameter
    EdgeEndpoint endpoint;

    private CloudFrontExecutor executor;
    private String id;

    @BeforeEach
    void setUp() {
        executor = new CloudFrontExecutor(endpoint.clients().cloudFront(), Clock.systemUTC());
        id = endpoint.distribution("shop." + EdgeEndpoint.uniqueDomain(), "shop-site.s3.eu-west-1.amazonaws.com",
                OLD_CERT, false).id();
    }

    @Test
    void setEnabled_enablesTheDistribution_andUndoDisablesItAgain() {
        PlanStep step = step(new Action.SetEnabled(id, true));

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JEDGE", step, before);
        boolean enabledAfter = config().distributionConfig().enabled();
        var changed = executor.changedSince(step, executor.observe(step), applied.version());
        executor.undo(applied, applied.version());

        assertThat(before.facts()).containsEntry("enabled", "false").containsEntry("certificate_arn", OLD_CERT)
                .containsEntry("origin_domain", "shop-site.s3.eu-west-1.amazonaws.com");
        assertThat(applied.version()).isNotBlank();
        assertThat(enabledAfter).isTrue();
        assertThat(changed).isEmpty();
        assertThat(config().distributionConfig().enabled()).isFalse();
    }

    @Test
    void setOrigin_changesOnlyThatOrigin_andUndoRestoresItsDomain() {
        PlanStep step = step(new Action.SetOrigin(id, "site", "shop-site-v2.s3.eu-west-1.amazonaws.com"));

        AppliedStep applied = executor.apply("01JEDGE", step, executor.observe(step));
        DistributionConfig after = config().distributionConfig();
        executor.undo(applied, applied.version());

        assertThat(after.origins().items()).singleElement().satisfies(o ->
                assertThat(o.domainName()).isEqualTo("shop-site-v2.s3.eu-west-1.amazonaws.com"));
        assertThat(after.enabled()).isFalse();
        assertThat(after.aliases().items()).hasSize(1);
        assertThat(config().distributionConfig().origins().items().getFirst().domainName())
                .isEqualTo("shop-site.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void setViewerCertificate_putsTheNewCertificate_andUndoRestoresTheOldOne() {
        PlanStep step = step(new Action.SetViewerCertificate(id, NEW_CERT, null));

        AppliedStep applied = executor.apply("01JEDGE", step, executor.observe(step));
        var after = config().distributionConfig().viewerCertificate();
        executor.undo(applied, applied.version());

        assertThat(after.acmCertificateArn()).isEqualTo(NEW_CERT);
        assertThat(after.sslSupportMethodAsString()).isEqualTo("sni-only");
        assertThat(after.minimumProtocolVersionAsString()).isEqualTo("TLSv1.2_2021");
        assertThat(config().distributionConfig().viewerCertificate().acmCertificateArn()).isEqualTo(OLD_CERT);
    }

    /**
     * Someone updates the distribution between the observation and the step. CloudFront refuses an update
     * whose IfMatch is no longer the current ETag (PreconditionFailed, 412), as the stand-in does; moto keeps
     * one ETag for ever and applies any update: asserted, so a moto that starts enforcing it is noticed.
     */
    @Test
    void aStaleETag_isRefusedOnTheStandInAsCloudFrontDoes_butMotoAppliesTheUpdate() {
        PlanStep step = step(new Action.SetEnabled(id, true));
        Observation before = executor.observe(step);
        GetDistributionConfigResponse current = config();
        endpoint.clients().cloudFront().updateDistribution(b -> b.id(id).ifMatch(current.eTag())
                .distributionConfig(current.distributionConfig().toBuilder().comment("changed by someone").build()));

        if (endpoint.isMoto()) {
            executor.apply("01JEDGE", step, before);
            assertThat(config().eTag()).isEqualTo(current.eTag());
            assertThat(config().distributionConfig().enabled()).isTrue();
            return;
        }
        StepFailedException refused = assertThrows(StepFailedException.class,
                () -> executor.apply("01JEDGE", step, before));

        assertThat(refused.getMessage()).contains("PreconditionFailed");
        assertThat(config().eTag()).isNotEqualTo(current.eTag());
        assertThat(config().distributionConfig().comment()).isEqualTo("changed by someone");
        assertThat(config().distributionConfig().enabled()).isFalse();
    }

    private GetDistributionConfigResponse config() {
        return endpoint.clients().cloudFront().getDistributionConfig(b -> b.id(id));
    }

    private static PlanStep step(Action action) {
        return new PlanStep("S1", action, Precondition.of("E2", Map.of("enabled", "false")),
                new Inverse.Irreversible("restored from the captured configuration"), Risk.MEDIUM,
                new Permission("cloudfront:UpdateDistribution", "*"));
    }
}
