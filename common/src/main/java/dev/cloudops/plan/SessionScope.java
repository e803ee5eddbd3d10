package dev.cloudops.plan;

import dev.cloudops.config.ConfigReader;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an approved plan's session credentials come from: the executor role ({@code EXECUTOR_ROLE_ARN}) the
 * execution function assumes with a session policy cut from the plan, and so the partition and account the
 * policy's ARNs are in. The review page and the execution make the same policy from the same plan with it, so
 * what a person approved and what runs can be compared by hash.
 */
public record SessionScope(String partition, String accountId, String executorRoleArn) {

    /** The variable that names the executor role (set for the approval and execution functions). */
    public static final String VARIABLE = "EXECUTOR_ROLE_ARN";

    /**
     * How long one session lasts: the execution function's longest invocation (Lambda's limit of 900 s), which is
     * also the shortest session STS grants. Each invocation of an execution (the state machine runs several) asks
     * for its own session, and none outlives it.
     */
    public static final Duration SESSION = Duration.ofSeconds(SessionPolicy.MIN_DURATION_SECONDS);

    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:(aws(?:-[a-z]+)*):iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}");

    public SessionScope {
        Matcher m = ROLE_ARN.matcher(executorRoleArn == null ? "" : executorRoleArn);
        if (!m.matches() || !m.group(1).equals(partition) || !m.group(2).equals(accountId)) {
            throw new IllegalArgumentException("not an IAM role ARN of partition " + partition + " and account "
                    + accountId + ": '" + executorRoleArn + "'");
        }
    }

    /** The scope of the role {@code roleArn}, or why it is not a role ARN. */
    public static SessionScope of(String roleArn) {
        Matcher m = ROLE_ARN.matcher(roleArn == null ? "" : roleArn);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME), was '"
                    + roleArn + "'");
        }
        return new SessionScope(m.group(1), m.group(2), roleArn);
    }

    /**
     * The scope named by {@code EXECUTOR_ROLE_ARN}; empty when the deployment names none (the local runner, tests):
     * then plans run with the function's own credentials and no grants are shown. A malformed ARN is a config
     * problem.
     */
    public static Optional<SessionScope> read(ConfigReader reader) {
        Optional<String> arn = reader.optional(VARIABLE);
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(arn.get()));
        } catch (IllegalArgumentException e) {
            reader.problem(VARIABLE + " " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The session policy for {@code plan} in this scope.
     *
     * @throws IllegalArgumentException when the plan names a resource no policy can be scoped to
     */
    public SessionPolicy policyFor(Plan plan) {
        return SessionPolicy.forPlan(plan, partition, accountId, SESSION);
    }

    /** The role's name, for people. */
    public String roleName() {
        return executorRoleArn.substring(executorRoleArn.lastIndexOf('/') + 1);
    }
}
