package dev.cloudops.execution.precheck;

import dev.cloudops.plan.Permission;

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

    Result check(Permission permission);

    /** For deployments that name no role: every check is recorded as not made. */
    PermissionChecker NONE = permission -> new Result.NotChecked("no execution role ARN configured");
}
