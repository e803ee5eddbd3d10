package dev.cloudops.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ReviewTokenTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

    private final ReviewToken tokens = new ReviewToken(KEY, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void roundTrip_acceptsTheTokenForItsAlertAndPurpose() {
        String token = tokens.issue("01JALERT", ReviewToken.REVIEW, Duration.ofHours(24));

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(tokens.verify(token, "01JALERT", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Valid("01JALERT", NOW.plus(Duration.ofHours(24))));
    }

    @Test
    void verify_refusesAnExpiredToken() {
        String token = tokens.issue("01JALERT", ReviewToken.REVIEW, Duration.ofHours(1));
        ReviewToken later = new ReviewToken(KEY, Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));

        assertThat(later.verify(token, "01JALERT", ReviewToken.REVIEW))
                .isInstanceOfSatisfying(ReviewToken.Check.Invalid.class, i -> assertThat(i.reason()).startsWith("token expired"));
    }

    @Test
    void verify_refusesATokenForAnotherAlertOrPurpose() {
        String token = tokens.issue("01JALERT", ReviewToken.REVIEW, Duration.ofHours(1));

        assertThat(tokens.verify(token, "01JOTHER", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Invalid("token is for another alert"));
        assertThat(tokens.verify(token, "01JALERT", "decide"))
                .isEqualTo(new ReviewToken.Check.Invalid("token is for another purpose"));
    }

    @Test
    void verify_refusesTamperingWithEitherPart_andAnotherKey() {
        String token = tokens.issue("01JALERT", ReviewToken.REVIEW, Duration.ofHours(1));
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("v1|review|01JALERT|" + NOW.plus(Duration.ofDays(365)).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        String flippedSignature = (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
        ReviewToken otherKey = new ReviewToken("another-key-another-key-another-k".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(tokens.verify(forgedPayload + "." + signature, "01JALERT", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Invalid("bad signature"));
        assertThat(tokens.verify(payload + "." + flippedSignature, "01JALERT", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Invalid("bad signature"));
        assertThat(otherKey.verify(token, "01JALERT", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Invalid("bad signature"));
        assertThat(tokens.verify("no-dot", "01JALERT", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Invalid("malformed token"));
        assertThat(tokens.verify("%%%.%%%", "01JALERT", ReviewToken.REVIEW))
                .isEqualTo(new ReviewToken.Check.Invalid("malformed token"));
        assertThat(tokens.verify(null, "01JALERT", ReviewToken.REVIEW)).isInstanceOf(ReviewToken.Check.Invalid.class);
    }

    @Test
    void aShortKey_isRefused() {
        assertThatThrownBy(() -> new ReviewToken(new byte[16], Clock.systemUTC()))
                .hasMessageContaining("at least 32 bytes");
    }
}
