package dev.cloudops.execution.precheck.iam;

import dev.cloudops.execution.precheck.PermissionChecker;
import dev.cloudops.plan.Permission;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;

/** Simulates the function's own role with {@code iam:SimulatePrincipalPolicy} for each step's action and resource. */
public final class IamPermissionChecker implements PermissionChecker {

    private final IamClient iam;
    private final String roleArn;

    public IamPermissionChecker(IamClient iam, String roleArn) {
        this.iam = iam;
        this.roleArn = roleArn;
    }

    @Override
    public Result check(Permission permission) {
        try {
            var response = iam.simulatePrincipalPolicy(b -> b.policySourceArn(roleArn)
                    .actionNames(permission.action()).resourceArns(permission.resource()));
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
