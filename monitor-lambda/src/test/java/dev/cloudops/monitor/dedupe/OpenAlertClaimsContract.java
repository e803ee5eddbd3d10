package dev.cloudops.monitor.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.dedupe.OpenAlertClaims.Claim;
import dev.cloudops.testing.Race;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of open-alert claims must do (DynamoDB, SQLite): one holder per fingerprint, taken over
 * only from the named holder, with exactly one winner however many runs race. Subclasses give a fresh, empty
 * store.
 */
public abstract class OpenAlertClaimsContract {

    private static final String FINGERPRINT = "shop.example#TLS_ERROR";
    private static final Instant T = Instant.parse("2026-11-27T02:24:37.120Z");

    private OpenAlertClaims claims;

    /** A new, empty store; called once before each test. */
    protected abstract OpenAlertClaims newStore();

    @BeforeEach
    public void open() {
        claims = newStore();
    }

    @Test
    public void claim_takesAFreeFingerprint_andHolderNamesTheAlert() {
        boolean claimed = claims.claim(FINGERPRINT, "01JALERTA", null, T);

        assertThat(claimed).isTrue();
        assertThat(claims.holder(FINGERPRINT)).contains(new Claim("01JALERTA", T));
        assertThat(claims.holder("other.example#TLS_ERROR")).isEmpty();
    }

    @Test
    public void claim_refusesAHeldFingerprint_unlessItNamesTheHolder() {
        claims.claim(FINGERPRINT, "01JALERTA", null, T);

        boolean fresh = claims.claim(FINGERPRINT, "01JALERTB", null, T.plusSeconds(1));
        boolean wrongHolder = claims.claim(FINGERPRINT, "01JALERTB", "01JALERTX", T.plusSeconds(2));
        boolean takeover = claims.claim(FINGERPRINT, "01JALERTC", "01JALERTA", T.plusSeconds(3));

        assertThat(fresh).isFalse();
        assertThat(wrongHolder).isFalse();
        assertThat(takeover).isTrue();
        assertThat(claims.holder(FINGERPRINT)).contains(new Claim("01JALERTC", T.plusSeconds(3)));
    }

    @Test
    public void claim_replacingAHolder_failsWhenNobodyHoldsTheFingerprint() {
        assertThat(claims.claim(FINGERPRINT, "01JALERTB", "01JALERTA", T)).isFalse();
        assertThat(claims.holder(FINGERPRINT)).isEmpty();
    }

    @Test
    public void fiftyConcurrentClaims_haveExactlyOneWinner() throws Exception {
        List<Boolean> results = Race.run(50, i -> claims.claim(FINGERPRINT, "01JRACE" + i, null, T));

        assertThat(results).filteredOn(won -> won).hasSize(1);
        String winner = "01JRACE" + results.indexOf(true);
        assertThat(claims.holder(FINGERPRINT)).contains(new Claim(winner, T));
    }

    @Test
    public void fiftyConcurrentTakeovers_ofOneStaleClaim_haveExactlyOneWinner() throws Exception {
        claims.claim(FINGERPRINT, "01JSTALE", null, T);

        List<Boolean> results = Race.run(50, i -> claims.claim(FINGERPRINT, "01JRACE" + i, "01JSTALE", T.plusSeconds(9)));

        assertThat(results).filteredOn(won -> won).hasSize(1);
        assertThat(claims.holder(FINGERPRINT).orElseThrow().alertId()).isEqualTo("01JRACE" + results.indexOf(true));
    }
}
