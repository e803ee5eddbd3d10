package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.execution.action.AppliedStep;
import dev.cloudops.execution.action.CloudFrontExecutor;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The CloudFront configuration steps and their inverses against the CloudFront stand-in. */
class CloudFrontStepsIT {

    private static final String OLD_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-"
            + "123456789abc";
    private static final String NEW_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-"
            + "9e0f1a2b3c4d";

    private AwsStandIn aws;
    private AwsClients clients;
    private CloudFrontExecutor executor;

    @BeforeEach
    void start() {
        aws = new AwsStandIn(() -> { });
        clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.of(URI.create(aws.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        executor = new CloudFrontExecutor(clients.cloudFront(), Clock.systemUTC());
        aws.distribution("E1", true);
        aws.updatesMatching("E1", "E1");
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void setOrigin_changesOnlyThatOrigin_andUndoRestoresItsDomain() {
        PlanStep step = step(new Action.SetOrigin(AwsStandIn.DISTRIBUTION, "shop-origin",
                "shop-site-v2.s3.eu-west-1.amazonaws.com"));

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JALERT", step, before);
        executor.undo(applied, applied.version());

        assertThat(before.facts()).containsEntry("origin_domain", "shop-site.s3.eu-west-1.amazonaws.com")
                .containsEntry("etag", "E1");
        List<LoggedRequest> updates = aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates).hasSize(2).allSatisfy(u -> assertThat(u.getHeader("If-Match")).isEqualTo("E1"));
        assertThat(updates.get(0).getBodyAsString()).contains("<DomainName>shop-site-v2.s3.eu-west-1.amazonaws.com"
                + "</DomainName>", "<Enabled>true</Enabled>");
        assertThat(updates.get(1).getBodyAsString()).contains("<DomainName>shop-site.s3.eu-west-1.amazonaws.com"
                + "</DomainName>");
    }

    @Test
    void setViewerCertificate_usesSniAndTls12_andUndoRestoresTheOldCertificate() {
        PlanStep step = step(new Action.SetViewerCertificate(AwsStandIn.DISTRIBUTION, NEW_CERT, null));

        AppliedStep applied = executor.apply("01JALERT", step, executor.observe(step));
        executor.undo(applied, applied.version());

        List<LoggedRequest> updates = aws.requests(RequestMethod.PUT, "/config");
        assertThat(updates.get(0).getBodyAsString()).contains("<ACMCertificateArn>" + NEW_CERT + "</ACMCertificateArn>",
                "<SSLSupportMethod>sni-only</SSLSupportMethod>", "<MinimumProtocolVersion>TLSv1.2_2021");
        assertThat(updates.get(1).getBodyAsString()).contains("<ACMCertificateArn>" + OLD_CERT + "</ACMCertificateArn>");
    }

    @Test
    void createInvalidation_carriesACallerReferenceOfAlertAndStep_andIsNotUndone() {
        aws.acceptInvalidations();
        PlanStep step = new PlanStep("S3", new Action.CreateInvalidation(AwsStandIn.DISTRIBUTION, List.of("/*")),
                Precondition.of("E2", Map.of("status", "Deployed")), new Inverse.Irreversible("caches only"),
                Risk.LOW, new Permission("cloudfront:CreateInvalidation", "*"));

        AppliedStep applied = executor.apply("01JALERT", step, executor.observe(step));

        assertThat(applied.reversible()).isFalse();
        assertThat(executor.undo(applied, null).calls()).isEmpty();
        assertThat(aws.requests(RequestMethod.POST, "/invalidation")).singleElement().satisfies(r -> assertThat(
                r.getBodyAsString()).contains("<CallerReference>cloudops-01JALERT-S3</CallerReference>",
                "<Path>/*</Path>"));
    }

    private static PlanStep step(Action action) {
        return new PlanStep("S1", action, Precondition.of("E2", Map.of("etag", "E1")),
                new Inverse.Irreversible("restored from the captured configuration"), Risk.MEDIUM,
                new Permission("cloudfront:UpdateDistribution", "*"));
    }
}
