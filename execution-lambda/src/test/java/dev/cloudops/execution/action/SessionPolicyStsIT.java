package dev.cloudops.execution.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The session policy of an approved plan, passed to STS AssumeRole as the execution passes it (inline
 * {@code Policy}, {@code DurationSeconds} from the plan's timeout), against moto's STS: the request is accepted and
 * answered with session credentials that expire when asked.
 *
 * <p>Not checked here: STS's limit of 2,048 characters on an inline session policy. moto 5.2.1 (the pinned
 * version, and moto's main branch as read for this test, {@code moto/sts/responses.py}) enforces that length only
 * for GetFederationToken, not for AssumeRole, so a longer policy would be accepted and proving nothing; the limit
 * is the project's own check ({@link SessionPolicy.TooLarge}, PlanChecks). moto also neither parses the policy
 * nor evaluates it: what the policy allows is checked with IamPolicyFake (SessionPolicyCoverageTest).
 */
@ExtendWith(Emulators.class)
class SessionPolicyStsIT {

    private static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/cloudops-executor";

    private final MotoServer moto;

    SessionPolicyStsIT(MotoServer moto) {
        this.moto = moto;
    }

    @Test
    void assumeRole_withThePlansSessionPolicy_givesFifteenMinuteSessionCredentials() {
        Action.RecordSet record = new Action.RecordSet("Z0123456789ABCDEFGHIJ", "www.example.com", "A", 60L,
                List.of("192.0.2.10"), null);
        Plan plan = new Plan("sts", List.of(
                step("S1", new Action.UpsertRecord(record), new Inverse.Undo(new Action.DeleteRecord(record))),
                step("S2", new Action.CreateInvalidation("E2QWRUHAPOMQZL", List.of("/*")),
                        new Inverse.Irreversible("caches"))));
        SessionPolicy.Scoped policy = (SessionPolicy.Scoped) SessionPolicy.forPlan(plan, "aws", MotoServer.ACCOUNT,
                Duration.ofMinutes(10));
        assertThat(policy.durationSeconds()).as("STS's shortest session").isEqualTo(900);
        assertThat(policy.json().length()).isLessThanOrEqualTo(SessionPolicy.MAX_PLAINTEXT_CHARACTERS);

        Instant asked = Instant.now();
        AssumeRoleResponse response;
        try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing",
                        "testing"))).httpClient(UrlConnectionHttpClient.create()).build()) {
            response = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("plan-" + policy.sha256().substring(0, 16))
                    .policy(policy.json()).durationSeconds(policy.durationSeconds()));
        }

        assertThat(response.credentials().accessKeyId()).isNotBlank();
        assertThat(response.credentials().secretAccessKey()).isNotBlank();
        assertThat(response.credentials().sessionToken()).isNotBlank();
        assertThat(response.credentials().expiration()).isBetween(asked.plus(Duration.ofMinutes(14)),
                Instant.now().plus(Duration.ofMinutes(15)).plusSeconds(5));
        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + MotoServer.ACCOUNT
                + ":assumed-role/cloudops-executor/plan-" + policy.sha256().substring(0, 16));
    }

    private static PlanStep step(String id, Action action, Inverse inverse) {
        return new PlanStep(id, action, Precondition.of("E1", Map.of("k", "v")), inverse, Risk.LOW,
                new Permission("x:y", "z"));
    }
}
