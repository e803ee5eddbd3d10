package dev.cloudops.execution.session;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Approval;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Plan-scoped sessions of the executor role, and the credentials provider of the step executors' AWS clients.
 * {@link #open} binds the alert being run; the first call that needs credentials then assumes the executor role
 * with the plan's session policy ({@code sts:AssumeRole} with {@code Policy}, for {@link SessionScope#SESSION}),
 * and the session's credentials sign every call until it is closed. Outside a session, or for an alert whose
 * plan is not approved with this policy, there are no credentials: the call fails at the client, before AWS.
 *
 * <p>The execution function's own role may assume the executor role and nothing that changes a site; the
 * executor role's own policy is the ceiling the deployment allows, and the session policy cuts it down to the
 * plan. A session lives at most 15 minutes, an invocation's longest; every invocation of an execution asks for
 * its own.
 */
public final class PlanCredentials implements PlanSessions, AwsCredentialsProvider {

    /** Issues one session of {@code roleArn} with {@code policy}: STS in AWS, a stand-in in tests. */
    @FunctionalInterface
    public interface Issuer {
        AwsSessionCredentials assume(String roleArn, String sessionName, SessionPolicy.Scoped policy,
                int durationSeconds);
    }

    /** Credentials expiring sooner than this are renewed before a call. */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);
    /** Role chaining (a function's role assuming another) caps a session at one hour. */
    private static final int CHAINED_MAX_SECONDS = 3600;

    private final SessionScope scope;
    private final Issuer issuer;
    private final Clock clock;
    private Bound bound;

    public PlanCredentials(SessionScope scope, Issuer issuer, Clock clock) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sessions issued by STS's AssumeRole. */
    public static Issuer sts(StsClient sts) {
        return (roleArn, sessionName, policy, seconds) -> {
            Credentials c = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName(sessionName).policy(policy.json())
                    .durationSeconds(seconds)).credentials();
            return AwsSessionCredentials.builder().accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                    .sessionToken(c.sessionToken()).expirationTime(c.expiration()).build();
        };
    }

    @Override
    public Optional<SessionPolicy> policy(Plan plan) {
        return Optional.of(scope.policyFor(plan));
    }

    @Override
    public synchronized Session open(Alert alert) {
        if (bound != null) {
            throw new IllegalStateException("a session for alert " + bound.alertId + " is open; one plan at a time");
        }
        Bound session = new Bound(alert.alertId(), sessionName(alert.alertId()));
        try {
            session.policy = scopedPolicy(alert);
        } catch (IllegalArgumentException e) {
            session.refusal = "no session policy can be scoped to its plan: " + e.getMessage();
        } catch (NoSession e) {
            session.refusal = e.getMessage();
        }
        bound = session;
        return () -> close(session);
    }

    private synchronized void close(Bound session) {
        if (bound == session) {
            bound = null;
        }
    }

    /**
     * The bound session's credentials, assumed on first use and renewed shortly before they expire.
     *
     * @throws SdkClientException when no session is open, or the open one may not have credentials
     */
    @Override
    public synchronized AwsCredentials resolveCredentials() {
        Bound session = bound;
        if (session == null) {
            throw SdkClientException.create("no approved plan is being run, so there are no credentials for this "
                    + "call: every change is made in a session of the executor role scoped to an approved plan");
        }
        if (session.refusal != null) {
            throw SdkClientException.create("no credentials for alert " + session.alertId + ": " + session.refusal);
        }
        Instant now = clock.instant();
        if (session.credentials == null || session.credentials.expirationTime()
                .map(at -> at.minus(RENEW_BEFORE).isBefore(now)).orElse(false)) {
            session.credentials = issuer.assume(scope.executorRoleArn(), session.name, session.policy,
                    Math.min(session.policy.durationSeconds(), CHAINED_MAX_SECONDS));
        }
        return session.credentials;
    }

    /** The alert's approved plan's policy, when every approval named it. */
    private SessionPolicy.Scoped scopedPolicy(Alert alert) {
        if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)
                || !valid.planHash().equals(alert.planHash())) {
            throw new NoSession("its stored plan is not the approved one");
        }
        SessionPolicy policy = scope.policyFor(valid.plan());
        if (!(policy instanceof SessionPolicy.Scoped scoped)) {
            throw new NoSession(switch (policy) {
                case SessionPolicy.NothingToGrant nothing -> nothing.reason();
                case SessionPolicy.TooLarge large -> large.reason();
                case SessionPolicy.Scoped s -> throw new IllegalStateException();
            });
        }
        if (alert.approvals().isEmpty()) {
            throw new NoSession("nobody approved its plan");
        }
        for (Approval approval : alert.approvals()) {
            if (!scoped.sha256().equals(approval.policyHash())) {
                throw new NoSession(approval.by() + " approved " + (approval.policyHash() == null
                        ? "no session policy" : "the session policy " + approval.policyHash()) + ", not "
                        + scoped.sha256());
            }
        }
        return scoped;
    }

    /** {@code cloudops-ALERT}, as STS allows a session name (CloudTrail shows it on every call the session makes). */
    static String sessionName(String alertId) {
        String name = "cloudops-" + alertId.replaceAll("[^\\w+=,.@-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static final class Bound {
        final String alertId;
        final String name;
        SessionPolicy.Scoped policy;
        String refusal;
        AwsSessionCredentials credentials;

        Bound(String alertId, String name) {
            this.alertId = alertId;
            this.name = name;
        }
    }

    private static final class NoSession extends RuntimeException {
        NoSession(String message) {
            super(message, null, false, false);
        }
    }
}
