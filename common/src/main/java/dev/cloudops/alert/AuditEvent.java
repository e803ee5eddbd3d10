package dev.cloudops.alert;

import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an alert's audit trail: when, what, who (and how sure we are of who), and the result; and the link
 * that chains it to the entry before it ({@code previous}: the SHA-256 of that entry, see {@link AuditChain}), set
 * when the entry is appended to a stored trail (null before, and on entries written before the trail was chained).
 */
public record AuditEvent(
        Instant at,
        AuditAction action,
        String actor,
        boolean verified,
        String sourceIp,
        String userAgent,
        String result,
        String detail,
        String previous) {

    public AuditEvent {
        at = Timestamps.stored(Objects.requireNonNull(at, "at"));
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(result, "result");
        userAgent = Actor.kept(userAgent);
    }

    /** An entry not yet chained to a trail. */
    public AuditEvent(Instant at, AuditAction action, String actor, boolean verified, String sourceIp, String userAgent,
            String result, String detail) {
        this(at, action, actor, verified, sourceIp, userAgent, result, detail, null);
    }

    /** Whether {@code other} records the same thing as this entry, whatever either is chained to. */
    public boolean sameEntryAs(AuditEvent other) {
        return withoutLink().equals(other.withoutLink());
    }

    private AuditEvent withoutLink() {
        return previous == null ? this : new AuditEvent(at, action, actor, verified, sourceIp, userAgent, result, detail);
    }

    /** This entry, chained after the entry whose link is {@code previous}. */
    public AuditEvent chainedTo(String previous) {
        return new AuditEvent(at, action, actor, verified, sourceIp, userAgent, result, detail,
                Objects.requireNonNull(previous, "previous"));
    }

    public static AuditEvent of(Instant at, AuditAction action, Actor actor, String result, String detail) {
        return new AuditEvent(at, action, actor.name(), actor.verified(), actor.sourceIp(), actor.userAgent(),
                result, detail);
    }
}
