package dev.cloudops.execution.precheck.iam;

import dev.cloudops.execution.precheck.PermissionChecker;
import dev.cloudops.plan.Permission;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;

/**
 * Simulates the function's own role with {@code iam:SimulatePrincipalPolicy} for each step's action and
 * resource, with the condition keys the real call carries.
 */
public final class IamPermissionChecker implements PermissionChecker {

    private final IamClient iam;
    private final String roleArn;

    public IamPermissionChecker(IamClient iam, String roleArn) {
        this.iam = iam;
        this.roleArn = roleArn;
    }

    @Override
    public Result check(Permission permission, Map<String, List<String>> context) {
        List<ContextEntry> entries = context.entrySet().stream().map(e -> ContextEntry.builder()
                .contextKeyName(e.getKey()).contextKeyValues(e.getValue()).contextKeyType(ContextKeyTypeEnum.STRING_LIST)
                .build()).toList();
        try {
            var response = iam.simulatePrincipalPolicy(b -> b.policySourceArn(roleArn)
                    .actionNames(permission.action()).resourceArns(permission.resource())
                    .contextEntries(entries.isEmpty() ? null : entries));
            EvaluationResult result = response.evaluationResults().getFirst();
            String detail = permission.action() + " on " + permission.resource() + ": " + result.evalDecisionAsString();
            return result.evalDecision() == PolicyEvaluationDecisionType.ALLOWED ? new Result.Allowed(detail)
                    : new Result.Denied(detail);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode();
            return new Result.NotChecked("iam:SimulatePrincipalPolicy failed (" + code + ")");
        } catch (SdkException e) {
            return new Result.NotChecked("iam:SimulatePrincipalPolicy failed (" + e.getMessage() + ")");
        }
    }
}
