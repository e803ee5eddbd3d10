package dev.cloudops.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.testing.BedrockStandIn;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.IamSimulatorStub;
import dev.cloudops.testing.S3Emulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With an executor role ({@code EXECUTOR_ROLE_ARN}), the steps run in a session of that role whose policy is cut
 * from the approved plan: STS is asked with exactly that policy, every Route 53 / CloudFront call is signed with
 * the session (in plan and in agent mode), the function's own credentials sign only its own stores, and a plan
 * approved with another policy gets no session at all.
 */
@ExtendWith(Emulators.class)
class PlanSessionsIT {

    private static final Map<String, String> SCOPED = Map.of("EXECUTOR_ROLE_ARN", ExecutionTestBed.EXECUTOR);

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private ExecutionTestBed bed;

    PlanSessionsIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        bed = new ExecutionTestBed(dynalite, s3);
        bed.aws.simulation("allowed");
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void theStepsRunInASessionOfTheExecutorRole_withThePlansSessionPolicy_andNothingElseIsSignedWithIt() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        SessionPolicy.Scoped policy = policy();

        JsonNode outcome = bed.execute(bed.handler(SCOPED, Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(bed.aws.form("AssumeRole")).singleElement().satisfies(assume -> {
            assertThat(assume).containsEntry("RoleArn", ExecutionTestBed.EXECUTOR)
                    .containsEntry("RoleSessionName", "cloudops-" + alert.alertId())
                    .containsEntry("DurationSeconds", "900")
                    .containsEntry("Policy", policy.json());
        });
        List<LoggedRequest> distributionCalls = bed.aws.server.getAllServeEvents().stream()
                .map(e -> e.getRequest()).filter(r -> r.getUrl().startsWith("/2020-05-31/distribution/")).toList();
        assertThat(distributionCalls).as("GetDistribution (preflight, step) and UpdateDistribution").hasSizeGreaterThan(1)
                .allSatisfy(r -> assertThat(AwsStandIn.signedBy(r)).isEqualTo(AwsStandIn.SESSION_KEY));
        assertThat(bed.aws.form("SimulateCustomPolicy")).singleElement().satisfies(simulation -> assertThat(simulation)
                .containsEntry("PolicyInputList.member.1", policy.json())
                .containsEntry("ActionNames.member.1", "cloudfront:UpdateDistribution"));
        assertThat(bed.aws.form("SimulatePrincipalPolicy")).singleElement().satisfies(simulation ->
                assertThat(simulation).containsEntry("PolicySourceArn", ExecutionTestBed.EXECUTOR));
        List<LoggedRequest> own = bed.aws.server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> "secretsmanager.GetSecretValue".equals(r.getHeader("X-Amz-Target"))
                        || r.getBodyAsString().contains("Action=AssumeRole&")
                        || r.getBodyAsString().contains("Action=Simulate")).toList();
        assertThat(own).as("the function's own calls: the key, STS, the simulations").isNotEmpty()
                .allSatisfy(r -> assertThat(AwsStandIn.signedBy(r)).isEqualTo(S3Emulator.ACCESS_KEY));
        String log = bed.object(ExecutionTestBed.key(bed.alerts.find(alert.alertId()).orElseThrow().executionLogUrl()));
        assertThat(log).contains("session policy", policy.sha256());
    }

    @Test
    void inAgentMode_theAgentsCallRunsInTheSameSession() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        try (BedrockStandIn bedrock = BedrockStandIn.start()) {
            JsonNode outcome = bed.executeByAgentEnablingTheDistribution(bedrock, alert, SCOPED);

            assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
            assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).singleElement()
                    .satisfies(r -> assertThat(AwsStandIn.signedBy(r)).isEqualTo(AwsStandIn.SESSION_KEY));
            assertThat(bed.aws.form("AssumeRole")).singleElement()
                    .satisfies(assume -> assertThat(assume).containsEntry("Policy", policy().json()));
        }
    }

    @Test
    void aPlanApprovedWithAnotherSessionPolicy_isRefused_beforeAnyCredentialsAreAsked() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        Alert otherPolicy = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2), "f".repeat(64));

        JsonNode outcome = bed.execute(bed.handler(SCOPED, Clock.systemUTC()), otherPolicy);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("approved the session policy " + "f".repeat(64)
                + ", not the policy " + policy().sha256());
        assertThat(bed.aws.form("AssumeRole")).isEmpty();
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void aStepTheSessionPolicyDoesNotAllow_isRefusedAtPreflight_andNothingIsWritten() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        bed.aws.sessionSimulation("implicitDeny");
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(SCOPED, Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("its credentials may not: cloudfront:UpdateDistribution",
                "implicitDeny by the plan's session policy");
        assertThat(bed.aws.writes()).isEmpty();
    }

    @Test
    void stsRefusingTheSession_leavesTheStateUnreadable_andThePlanIsRefused() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody(
                        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                                + "<Code>PackedPolicyTooLarge</Code><Message>Packed policy consumes 104% of allotted "
                                + "space</Message></Error><RequestId>c6104cbe-0000-4000-8000-000000000400</RequestId>"
                                + "</ErrorResponse>")));
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));

        JsonNode outcome = bed.execute(bed.handler(SCOPED, Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("detail").asText()).contains("could not be read", "Packed policy consumes 104% of allotted space");
        assertThat(bed.aws.writes()).isEmpty();
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().state()).isEqualTo(AlertState.FAILED);
    }

    @Test
    void preflightAsksTheIamSimulator_theRoleAndTheSessionPolicyBothAllow_theApprovedStep_butNotOneWhoseArnWasSwapped() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        try (IamSimulatorStub iam = IamSimulatorStub.start()) {
            // The executor role's ceiling, as the template writes it: every listed distribution of the account.
            iam.rolePolicies(ExecutionTestBed.EXECUTOR, List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                    + "\"Effect\":\"Allow\",\"Action\":[\"cloudfront:UpdateDistribution\","
                    + "\"cloudfront:GetDistribution\"],\"Resource\":[\"arn:aws:cloudfront::*:distribution/"
                    + AwsStandIn.DISTRIBUTION + "\",\"arn:aws:cloudfront::*:distribution/EOTHERDISTRIBUTION\"]}]}"));
            Map<String, String> env = Map.of("EXECUTOR_ROLE_ARN", ExecutionTestBed.EXECUTOR, "AWS_ENDPOINT_URL_IAM",
                    iam.endpoint().toString());
            Alert approved = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
            Plan swapped = swappedPermission(ExecutionTestBed.enable(), "EOTHERDISTRIBUTION");
            Alert other = bed.approved(swapped, Duration.ofMinutes(2));

            JsonNode completed = bed.execute(bed.handler(env, Clock.systemUTC()), approved);
            bed.site.switchUp(false);
            JsonNode refused = bed.execute(bed.handler(env, Clock.systemUTC()), other);

            assertThat(completed.path("outcome").asText()).isEqualTo("COMPLETED");
            assertThat(refused.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(refused.path("detail").asText()).contains("its credentials may not: cloudfront:UpdateDistribution"
                    + " on arn:aws:cloudfront::123456789012:distribution/EOTHERDISTRIBUTION: implicitDeny by the plan's "
                    + "session policy");
            assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).as("only the approved step's update")
                    .hasSize(1);
        }
    }

    @Test
    void theCertificateAnEvidenceItemNames_isReadAgainWithTheFunctionsOwnRole_notInThePlansSession() {
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2");
        String certificate = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";
        bed.aws.server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("CertificateManager.DescribeCertificate"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"Certificate\":{\"CertificateArn\":\"" + certificate + "\",\"DomainName\":"
                                + "\"shop.example.com\",\"Status\":\"ISSUED\",\"DomainValidationOptions\":[]}}")));
        PlanStep enable = ExecutionTestBed.enable().steps().getFirst();
        Plan plan = new Plan("Re-enable the distribution while its certificate is issued.", List.of(new PlanStep("S1",
                enable.action(), dev.cloudops.plan.Precondition.of("E3", Map.of("validation_status", "SUCCESS")), enable.inverse(),
                enable.risk(), enable.permission())));
        Alert alert = bed.approved(plan, Duration.ofMinutes(2));
        String evidence = ExecutionTestBed.evidence(alert.alertId());
        bed.evidence(alert, evidence.substring(0, evidence.length() - 2) + ",{\"id\":\"E3\",\"source\":"
                + "\"acm:DescribeCertificate\",\"subject\":\"" + certificate + "\",\"at\":\"2026-11-27T02:30:00Z\","
                + "\"status\":\"OK\",\"summary\":"
                + "\"issued\",\"data\":{\"arn\":\"" + certificate + "\",\"status\":\"ISSUED\"}}]}");

        JsonNode outcome = bed.execute(bed.handler(SCOPED, Clock.systemUTC()), alert);

        assertThat(outcome.path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(bed.aws.server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> "CertificateManager.DescribeCertificate".equals(r.getHeader("X-Amz-Target"))).toList())
                .singleElement().satisfies(r -> assertThat(AwsStandIn.signedBy(r)).isEqualTo(S3Emulator.ACCESS_KEY));
        assertThat(bed.aws.requests(RequestMethod.PUT, "/config")).singleElement()
                .satisfies(r -> assertThat(AwsStandIn.signedBy(r)).isEqualTo(AwsStandIn.SESSION_KEY));
    }

    /** {@code plan} with its first step's permission naming another distribution than the step changes. */
    private static Plan swappedPermission(Plan plan, String distribution) {
        PlanStep step = plan.steps().getFirst();
        return new Plan(plan.summary(), List.of(new PlanStep(step.id(), step.action(), step.precondition(),
                step.inverse(), step.risk(), new Permission(step.permission().action(),
                        "arn:aws:cloudfront::123456789012:distribution/" + distribution))));
    }

    private static SessionPolicy.Scoped policy() {
        return (SessionPolicy.Scoped) SessionScope.of(ExecutionTestBed.EXECUTOR).policyFor(ExecutionTestBed.enable());
    }

}
