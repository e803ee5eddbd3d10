package dev.cloudops.execution.session;

import dev.cloudops.alert.Alert;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.SessionPolicy;
import java.util.Optional;

/**
 * The credentials an execution changes things with. With an executor role ({@code EXECUTOR_ROLE_ARN}), each run
 * of an approved plan gets a session of that role whose session policy is generated from the plan
 * ({@link SessionPolicy}): the page showed that policy, every approval recorded its hash, and the session can do
 * nothing else. Without one (the local runner, tests), the function's own credentials are used.
 */
public interface PlanSessions {

    /**
     * The session policy a run of {@code plan} would have; empty when this deployment runs plans on the function's
     * own credentials.
     *
     * @throws IllegalArgumentException when the plan names a resource no policy can be scoped to
     */
    Optional<SessionPolicy> policy(Plan plan);

    /**
     * Until the returned session is closed, the step executors sign with a session scoped to {@code alert}'s
     * approved plan. Nothing is asked of STS until the first call needs credentials. When the alert has no
     * approved plan whose policy every approval named, the executors have no credentials at all and every call
     * fails saying why.
     */
    Session open(Alert alert);

    /** An open session; closing it drops its credentials. */
    interface Session extends AutoCloseable {
        @Override
        void close();
    }

    /** The function's own credentials, for every plan (no executor role configured). */
    PlanSessions UNSCOPED = new PlanSessions() {
        @Override
        public Optional<SessionPolicy> policy(Plan plan) {
            return Optional.empty();
        }

        @Override
        public Session open(Alert alert) {
            return () -> { };
        }
    };

    /** The hash every approval must have named: the scoped policy's, or null when none applies. */
    static String hashOf(Optional<SessionPolicy> policy) {
        return policy.filter(SessionPolicy.Scoped.class::isInstance).map(p -> ((SessionPolicy.Scoped) p).sha256())
                .orElse(null);
    }
}
