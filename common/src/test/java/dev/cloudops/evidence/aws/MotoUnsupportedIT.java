package dev.cloudops.evidence.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;

/**
 * What the adapters call that moto does not implement, so it stays on WireMock stubs (AwsEvidenceCollectorIT,
 * PlanExecutorIT, ExecutionSafetyIT): CloudTrail LookupEvents and IAM SimulatePrincipalPolicy answer
 * 500 with an HTML page. Pinned, so a moto upgrade that adds them fails here and the stubs can be cross-checked.
 */
@ExtendWith(Emulators.class)
class MotoUnsupportedIT {

    @Test
    void cloudTrailLookupEvents_isNotImplemented(MotoServer moto) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> moto.clients()
                .cloudTrailForGlobalServices().lookupEvents(b -> b.lookupAttributes(a -> a
                        .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue("E2QWRUHAPOMQZL"))
                        .startTime(Instant.now().minusSeconds(3600)).endTime(Instant.now()).maxResults(5)));

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(AwsEvidenceCollector.statusOf(e)).isEqualTo(dev.cloudops.evidence.EvidenceStatus.ERROR);
    }

    @Test
    void iamSimulatePrincipalPolicy_isNotImplemented(MotoServer moto) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> moto.clients().iam()
                .simulatePrincipalPolicy(b -> b.policySourceArn("arn:aws:iam::" + MotoServer.ACCOUNT
                        + ":role/cloudops-execution").actionNames("cloudfront:UpdateDistribution")));

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(500);
    }
}
