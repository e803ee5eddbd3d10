package dev.cloudops.execution.precheck;

import dev.cloudops.plan.Permission;
import java.util.List;
import java.util.Map;

/** Checks, before anything changes, that the function's role may make each step's call on its resource. */
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
     * Whether the role may make the step's call; {@code context} holds the IAM condition keys the real call
     * will carry (Route 53's record names and types), so that conditions on them are evaluated as AWS will.
     */
    Result check(Permission permission, Map<String, List<String>> context);

    /** For deployments that name no role: every check is recorded as not made. */
    PermissionChecker NONE = (permission, context) -> new Result.NotChecked("no execution role ARN configured");
}
