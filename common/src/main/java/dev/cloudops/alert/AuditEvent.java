package dev.cloudops.alert;

import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.Objects;

/** One entry of an alert's audit trail: when, what, who (and how sure we are of who), and the result. */
public record AuditEvent(
        Instant at,
        AuditAction action,
        String actor,
        boolean verified,
        String sourceIp,
        String userAgent,
        String result,
        String detail) {

    public AuditEvent {
        at = Timestamps.stored(Objects.requireNonNull(at, "at"));
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(result, "result");
        userAgent = Actor.kept(userAgent);
    }

    public static AuditEvent of(Instant at, AuditAction action, Actor actor, String result, String detail) {
        return new AuditEvent(at, action, actor.name(), actor.verified(), actor.sourceIp(), actor.userAgent(),
                result, detail);
    }
}
