package dev.cloudops.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.monitor.dedupe.OpenAlertClaims.Claim;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cloudops.testing.Race;

/** Open-alert claims in a SQLite file: one holder per fingerprint, taken over only from the named holder. */
class SqliteOpenAlertClaimsIT {

    private static final String FINGERPRINT = "shop.example#TLS_ERROR";
    private static final Instant T = Instant.parse("2026-11-27T02:24:37.120Z");

    @TempDir
    Path dataFolder;

    private SqliteOpenAlertClaims claims;

    @BeforeEach
    void open() {
        claims = new SqliteOpenAlertClaims(SqliteDatabase.open(dataFolder));
    }

    @Test
    void claim_takesAFreeFingerprint_andHolderNamesTheAlert() {
        boolean claimed = claims.claim(FINGERPRINT, "01JALERTA", null, T);

        assertThat(claimed).isTrue();
        assertThat(claims.holder(FINGERPRINT)).contains(new Claim("01JALERTA", T));
        assertThat(claims.holder("other.example#TLS_ERROR")).isEmpty();
    }

    @Test
    void claim_refusesAHeldFingerprint_unlessItNamesTheHolder() {
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
    void claim_replacingAHolder_failsWhenNobodyHoldsTheFingerprint() {
        assertThat(claims.claim(FINGERPRINT, "01JALERTB", "01JALERTA", T)).isFalse();
        assertThat(claims.holder(FINGERPRINT)).isEmpty();
    }

    @Test
    void fiftyConcurrentClaims_haveExactlyOneWinner() throws Exception {
        List<Boolean> results = Race.run(50, i -> claims.claim(FINGERPRINT, "01JRACE" + i, null, T));

        assertThat(results).filteredOn(won -> won).hasSize(1);
        String winner = "01JRACE" + results.indexOf(true);
        assertThat(claims.holder(FINGERPRINT)).contains(new Claim(winner, T));
    }

    @Test
    void fiftyConcurrentTakeovers_ofOneStaleClaim_haveExactlyOneWinner() throws Exception {
        claims.claim(FINGERPRINT, "01JSTALE", null, T);

        List<Boolean> results = Race.run(50, i -> claims.claim(FINGERPRINT, "01JRACE" + i, "01JSTALE", T.plusSeconds(9)));

        assertThat(results).filteredOn(won -> won).hasSize(1);
        assertThat(claims.holder(FINGERPRINT).orElseThrow().alertId()).isEqualTo("01JRACE" + results.indexOf(true));
    }
}
