package dev.cloudops.execution.precheck;

import dev.cloudops.plan.Permission;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, before anything changes, that each step's call on its resource is allowed: by the role that makes it
 * and, when the steps run in a session scoped to the plan, by that session's policy as well (a session may do
 * only what both allow).
 */
public interface PermissionChecker {

    /** The outcome of one check. */
    sealed interface Result {
        record Allowed(String detail) implements Result {
        }

        record Denied(String detail) implements Result {
        }

        /** The check itself could not be made (no role to simulate, or simulation not permitted). */
        record NotChecked(String reason) implements Result {
        }
    }

    /**
     * Whether the step's call is allowed; {@code context} holds the IAM condition keys the real call will carry
     * (Route 53's record names and types), so that conditions on them are evaluated as AWS will;
     * {@code sessionPolicy} is the session policy's JSON when the call runs in a plan-scoped session.
     */
    Result check(Permission permission, Map<String, List<String>> context, Optional<String> sessionPolicy);

    /** For deployments that name no role: every check is recorded as not made. */
    PermissionChecker NONE = (permission, context, sessionPolicy) ->
            new Result.NotChecked("no executor role ARN configured");
}
