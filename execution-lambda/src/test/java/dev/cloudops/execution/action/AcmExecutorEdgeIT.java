package dev.cloudops.execution.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.edge.EdgeEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.route53.model.ResourceRecord;

/**
 * acm.request_certificate on the edge stand-in and on moto: RequestCertificate with DNS validation and an
 * idempotency token, DescribeCertificate for the validation record, which is then upserted in the nearest
 * public zone (found by paging ListHostedZonesByName) and read back from it. (A refusal and a zone that cannot
 * be found in a listing that sorts other names first stay on WireMock: AcmExecutorIT.)
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.edge.EdgeEndpoint#all")
@ExtendWith(Emulators.class)
class AcmExecutorEdgeIT {

    @Parameter
    EdgeEndpoint endpoint;

    private AcmExecutor executor;
    private String domain;

    @BeforeEach
    void setUp() {
        executor = new AcmExecutor(endpoint.clients().acmForCloudFront(), endpoint.clients().route53(),
                Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofMillis(100));
        domain = EdgeEndpoint.uniqueDomain();
    }

    @Test
    void requestCertificate_putsTheValidationRecordInThePublicZone_andARetryRequestsNoSecondCertificate() {
        endpoint.privateZone(domain);
        String zone = endpoint.publicZone(domain);
        endpoint.privateZone(domain);
        String host = "www.shop." + domain;
        PlanStep step = step(host);

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JEDGE", step, before);
        AppliedStep retried = executor.apply("01JEDGE", step, executor.observe(step));

        assertThat(before.facts()).containsEntry("covers_host", "false");
        assertThat(applied.reversible()).isFalse();
        assertThat(applied.calls()).extracting(CallRecord::api).containsExactly("acm:RequestCertificate",
                "acm:DescribeCertificate", "route53:ChangeResourceRecordSets");
        String arn = applied.calls().getFirst().result();
        assertThat(retried.calls().getFirst().result()).isEqualTo(arn);
        CertificateDetail certificate = endpoint.clients().acmForCloudFront()
                .describeCertificate(b -> b.certificateArn(arn)).certificate();
        assertThat(certificate.domainName()).isEqualTo(host);
        assertThat(certificate.statusAsString()).isEqualTo("PENDING_VALIDATION");
        var validation = certificate.domainValidationOptions().getFirst().resourceRecord();
        assertThat(endpoint.records(zone, validation.name())).singleElement().satisfies(r -> {
            assertThat(r.typeAsString()).isEqualTo("CNAME");
            assertThat(r.ttl()).isEqualTo(300L);
            assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly(validation.value());
        });
        assertThat(endpoint.clients().acmForCloudFront().listCertificatesPaginator(b -> b.maxItems(100))
                .certificateSummaryList()).filteredOn(c -> c.domainName().equals(host)).hasSize(1);
    }

    @Test
    void aPendingCertificate_doesNotCoverTheHost() {
        String host = "api." + domain;
        endpoint.requestCertificate(host);

        Observation observed = executor.observe(step(host));

        assertThat(observed.facts()).containsEntry("covers_host", "false");
        assertThat(endpoint.clients().acmForCloudFront().listCertificates(b -> b.certificateStatuses(List.of()))
                .certificateSummaryList()).anySatisfy(c -> {
                    assertThat(c.domainName()).isEqualTo(host);
                    assertThat(c.statusAsString()).isEqualTo("PENDING_VALIDATION");
                });
    }

    private static PlanStep step(String host) {
        return new PlanStep("S1", new Action.RequestCertificate(host, List.of()),
                Precondition.of("E3", Map.of("covers_host", "false")), new Inverse.Irreversible("left unused"),
                Risk.LOW, new Permission("acm:RequestCertificate", "*"));
    }
}
