package dev.cloudops.approval.page;

import dev.cloudops.alert.Alert;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import java.util.Optional;

/**
 * What approving an alert's plan grants its execution: a session of the executor role ({@code EXECUTOR_ROLE_ARN})
 * cut down to the plan's session policy. The review page shows it and the decision checks against it, both made
 * from the alert's plan as it is at that moment, so an approval can name the hash of the policy it was shown and
 * be refused when that is not the plan's policy any more.
 */
public sealed interface Grants {

    /** The alert has no plan: approving runs nothing and grants nothing. */
    record NoPlan() implements Grants {
    }

    /** No executor role is configured (the local runner, tests): the execution uses its function's own credentials. */
    record Unscoped() implements Grants {
    }

    /** Every step is manual: the plan makes no AWS call, so approving grants no credentials. */
    record NoCredentials() implements Grants {
    }

    /** A session of the role {@code roleName} that allows only {@code policy}. */
    record Session(String roleName, SessionPolicy.Scoped policy) implements Grants {
    }

    /**
     * No session policy can be made for the plan (too large for STS, a resource it cannot be scoped to, a plan that
     * cannot be read): with an executor role configured it cannot run, so it cannot be approved.
     */
    record Unapprovable(String reason) implements Grants {
    }

    /** What approving {@code alert}'s current plan grants with the executor role {@code executor}, if any. */
    static Grants of(Optional<SessionScope> executor, Alert alert) {
        if (alert.plan() == null) {
            return new NoPlan();
        }
        if (executor.isEmpty()) {
            return new Unscoped();
        }
        if (!(PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
            return new Unapprovable("the stored plan cannot be read, so no session policy can be made from it");
        }
        SessionPolicy policy;
        try {
            policy = executor.get().policyFor(valid.plan());
        } catch (IllegalArgumentException e) {
            return new Unapprovable("no session policy can be made for this plan: " + e.getMessage());
        }
        return switch (policy) {
            case SessionPolicy.Scoped scoped -> new Session(executor.get().roleName(), scoped);
            case SessionPolicy.NothingToGrant nothing -> new NoCredentials();
            case SessionPolicy.TooLarge tooLarge -> new Unapprovable(tooLarge.reason());
        };
    }
}
