package dev.cloudops.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void format_isFixedWidth_soTextOrderIsTimeOrder() {
        String whole = Timestamps.format(Instant.parse("2026-11-27T02:24:37Z"));
        String later = Timestamps.format(Instant.parse("2026-11-27T02:24:37.100Z"));

        assertThat(whole).isEqualTo("2026-11-27T02:24:37.000Z");
        assertThat(later).isEqualTo("2026-11-27T02:24:37.100Z");
        assertThat(whole).isLessThan(later);
    }

    @Test
    void forPeople_isTheMinuteInUtc_andDaysAreCountedInWords() {
        assertThat(Timestamps.forPeople(Instant.parse("2026-11-30T05:09:59.999Z"))).isEqualTo("2026-11-30 05:09 UTC");
        assertThat(Timestamps.days(1)).isEqualTo("1 day");
        assertThat(Timestamps.days(-1)).isEqualTo("-1 day");
        assertThat(Timestamps.days(0)).isEqualTo("0 days");
        assertThat(Timestamps.days(5)).isEqualTo("5 days");
    }

    @Test
    void parse_truncatesToMilliseconds_andRejectsOtherText() {
        assertThat(Timestamps.parse("2026-11-27T02:24:37.123456Z")).isEqualTo(Instant.parse("2026-11-27T02:24:37.123Z"));
        assertThatThrownBy(() -> Timestamps.parse("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
    }
}
