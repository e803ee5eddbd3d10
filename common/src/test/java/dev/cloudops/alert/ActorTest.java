package dev.cloudops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActorTest {

    @Test
    void aLongUserAgent_isCutToTheLimit_onTheActorAndOnEveryEvent() {
        String huge = "Mozilla/5.0 " + "x".repeat(10_000);

        Actor actor = new Actor("mallory", false, "198.51.100.9", huge);
        AuditEvent stored = new AuditEvent(Instant.parse("2026-11-27T05:00:00Z"), AuditAction.DECISION_REFUSED,
                "mallory", false, "198.51.100.9", huge, "refused 401", null);

        assertThat(actor.userAgent()).hasSize(Actor.MAX_USER_AGENT).startsWith("Mozilla/5.0 x");
        assertThat(stored.userAgent()).hasSize(Actor.MAX_USER_AGENT);
        assertThat(new Actor("lee", false, null, "curl/8.5.0").userAgent()).isEqualTo("curl/8.5.0");
    }

    @Test
    void theCut_neverSplitsASurrogatePair() {
        String agent = "a".repeat(Actor.MAX_USER_AGENT - 1) + "\uD83D\uDE00" + "tail";

        String kept = new Actor("lee", false, null, agent).userAgent();

        assertThat(kept).hasSize(Actor.MAX_USER_AGENT - 1).doesNotContain("\uD83D");
    }
}
