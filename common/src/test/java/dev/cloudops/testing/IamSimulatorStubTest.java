package dev.cloudops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.SimulateCustomPolicyResponse;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;

/** The SDK's own {@link IamClient} against {@link IamSimulatorStub}: IAM's wire format both ways. */
class IamSimulatorStubTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/cloudops-executor";
    private static final String ZONE = "arn:aws:route53:::hostedzone/Z1";
    private static final String RECORDS_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Action\":\"route53:ChangeResourceRecordSets\",\"Resource\":\"" + ZONE + "\",\"Condition\":{"
            + "\"ForAllValues:StringEquals\":{\"route53:ChangeResourceRecordSetsNormalizedRecordNames\":\"www.example.com\","
            + "\"route53:ChangeResourceRecordSetsRecordTypes\":\"A\"},"
            + "\"Null\":{\"route53:ChangeResourceRecordSetsNormalizedRecordNames\":\"false\"}}}}";

    private final IamSimulatorStub stub = IamSimulatorStub.start();
    private final IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(stub.endpoint())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .httpClient(UrlConnectionHttpClient.create()).build();

    @AfterEach
    void close() {
        iam.close();
        stub.close();
    }

    private static ContextEntry strings(String key, String... values) {
        return ContextEntry.builder().contextKeyName(key).contextKeyType(ContextKeyTypeEnum.STRING_LIST)
                .contextKeyValues(values).build();
    }

    @Test
    void simulateCustomPolicy_decidesEachAction_withTheContextEntries() {
        SimulateCustomPolicyResponse allowed = iam.simulateCustomPolicy(b -> b.policyInputList(RECORDS_ONLY)
                .actionNames("route53:ChangeResourceRecordSets", "route53:DeleteHostedZone").resourceArns(ZONE)
                .contextEntries(strings("route53:ChangeResourceRecordSetsNormalizedRecordNames", "www.example.com"),
                        strings("route53:ChangeResourceRecordSetsRecordTypes", "A")));
        SimulateCustomPolicyResponse otherName = iam.simulateCustomPolicy(b -> b.policyInputList(RECORDS_ONLY)
                .actionNames("route53:ChangeResourceRecordSets").resourceArns(ZONE)
                .contextEntries(strings("route53:ChangeResourceRecordSetsNormalizedRecordNames", "www.example.com",
                        "mail.example.com"), strings("route53:ChangeResourceRecordSetsRecordTypes", "A")));

        assertThat(allowed.isTruncated()).isFalse();
        assertThat(allowed.evaluationResults()).extracting(EvaluationResult::evalActionName,
                EvaluationResult::evalResourceName, EvaluationResult::evalDecision).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("route53:ChangeResourceRecordSets", ZONE,
                                PolicyEvaluationDecisionType.ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("route53:DeleteHostedZone", ZONE,
                                PolicyEvaluationDecisionType.IMPLICIT_DENY));
        assertThat(allowed.evaluationResults().getFirst().resourceSpecificResults()).singleElement()
                .satisfies(r -> {
                    assertThat(r.evalResourceName()).isEqualTo(ZONE);
                    assertThat(r.evalResourceDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
                });
        assertThat(otherName.evaluationResults()).singleElement().extracting(EvaluationResult::evalDecision)
                .isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(allowed.responseMetadata().requestId()).isNotBlank();
    }

    @Test
    void simulateCustomPolicy_givesTheMostRestrictiveDecisionOverSeveralResources_andEachResourcesOwn() {
        String deny = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cloudfront:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"cloudfront:UpdateDistribution\","
                + "\"Resource\":\"arn:aws:cloudfront::123456789012:distribution/E2\"}]}";
        String e1 = "arn:aws:cloudfront::123456789012:distribution/E1";
        String e2 = "arn:aws:cloudfront::123456789012:distribution/E2";

        EvaluationResult result = iam.simulateCustomPolicy(b -> b.policyInputList(deny)
                .actionNames("cloudfront:UpdateDistribution").resourceArns(e1, e2)).evaluationResults().getFirst();

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.EXPLICIT_DENY);
        assertThat(result.resourceSpecificResults()).extracting(r -> r.evalResourceName(), r -> r.evalResourceDecision())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(e1, PolicyEvaluationDecisionType.ALLOWED),
                        org.assertj.core.groups.Tuple.tuple(e2, PolicyEvaluationDecisionType.EXPLICIT_DENY));
    }

    @Test
    void simulatePrincipalPolicy_usesTheRolesRegisteredPolicies_plusTheInputList() {
        stub.rolePolicies(ROLE, List.of("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"route53:List*\","
                + "\"Resource\":\"*\"}}"));

        SimulatePrincipalPolicyResponse response = iam.simulatePrincipalPolicy(b -> b.policySourceArn(ROLE)
                .policyInputList(RECORDS_ONLY)
                .actionNames("route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets",
                        "acm:RequestCertificate").resourceArns(ZONE)
                .contextEntries(strings("route53:ChangeResourceRecordSetsNormalizedRecordNames", "www.example.com"),
                        strings("route53:ChangeResourceRecordSetsRecordTypes", "A")));

        assertThat(response.evaluationResults()).extracting(EvaluationResult::evalDecision).containsExactly(
                PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.ALLOWED,
                PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThatThrownBy(() -> iam.simulatePrincipalPolicy(b -> b.policySourceArn(ROLE + "-other")
                .actionNames("route53:ListResourceRecordSets"))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void whatTheStubDoesNotImplement_isRefusedInIamsErrorFormat() {
        assertThatThrownBy(() -> iam.listRoles()).isInstanceOfSatisfying(IamException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
        });
        assertThatThrownBy(() -> iam.simulateCustomPolicy(b -> b.policyInputList(
                "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}}")
                .actionNames("s3:GetObject"))).isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("NotAction");
                });
        assertThatThrownBy(() -> iam.simulateCustomPolicy(b -> b.policyInputList(RECORDS_ONLY)
                .permissionsBoundaryPolicyInputList(RECORDS_ONLY).actionNames("s3:GetObject")))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("PermissionsBoundaryPolicyInputList"));
    }
}
