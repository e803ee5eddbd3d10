package dev.cloudops.execution.precheck.iam;

import dev.cloudops.execution.precheck.PermissionChecker;
import dev.cloudops.plan.Permission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;

/**
 * Simulates each step's action on its resource, with the condition keys the real call carries: the role that
 * makes the calls with {@code iam:SimulatePrincipalPolicy} (its attached and inline policies), and the plan's
 * session policy with {@code iam:SimulateCustomPolicy}. A session's calls are allowed only where both allow,
 * which is how STS intersects a role's permissions with a session policy; SimulatePrincipalPolicy's own policy
 * input would add the document to the role's policies instead, so the two are asked separately.
 */
public final class IamPermissionChecker implements PermissionChecker {

    private final IamClient iam;
    private final String roleArn;

    public IamPermissionChecker(IamClient iam, String roleArn) {
        this.iam = iam;
        this.roleArn = roleArn;
    }

    @Override
    public Result check(Permission permission, Map<String, List<String>> context, Optional<String> sessionPolicy) {
        List<ContextEntry> entries = context.entrySet().stream().map(e -> ContextEntry.builder()
                .contextKeyName(e.getKey()).contextKeyValues(e.getValue()).contextKeyType(ContextKeyTypeEnum.STRING_LIST)
                .build()).toList();
        String call = permission.action() + " on " + permission.resource();
        EvaluationResult role;
        try {
            role = iam.simulatePrincipalPolicy(b -> b.policySourceArn(roleArn)
                    .actionNames(permission.action()).resourceArns(permission.resource())
                    .contextEntries(entries.isEmpty() ? null : entries)).evaluationResults().getFirst();
        } catch (SdkException e) {
            return new Result.NotChecked("iam:SimulatePrincipalPolicy failed (" + code(e) + ")");
        }
        if (role.evalDecision() != PolicyEvaluationDecisionType.ALLOWED) {
            return new Result.Denied(call + ": " + role.evalDecisionAsString() + " by the role " + roleName());
        }
        if (sessionPolicy.isEmpty()) {
            return new Result.Allowed(call + ": allowed by the role " + roleName());
        }
        EvaluationResult session;
        try {
            session = iam.simulateCustomPolicy(b -> b.policyInputList(sessionPolicy.get())
                    .actionNames(permission.action()).resourceArns(permission.resource())
                    .contextEntries(entries.isEmpty() ? null : entries)).evaluationResults().getFirst();
        } catch (SdkException e) {
            return new Result.NotChecked("allowed by the role " + roleName() + "; iam:SimulateCustomPolicy of the "
                    + "session policy failed (" + code(e) + ")");
        }
        return session.evalDecision() == PolicyEvaluationDecisionType.ALLOWED
                ? new Result.Allowed(call + ": allowed by the role " + roleName() + " and by the plan's session policy")
                : new Result.Denied(call + ": " + session.evalDecisionAsString() + " by the plan's session policy");
    }

    private String roleName() {
        return roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    private static String code(SdkException e) {
        return e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() : e.getMessage();
    }
}
