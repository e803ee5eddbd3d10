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
    void parse_truncatesToMilliseconds_andRejectsOtherText() {
        assertThat(Timestamps.parse("2026-11-27T02:24:37.123456Z")).isEqualTo(Instant.parse("2026-11-27T02:24:37.123Z"));
        assertThatThrownBy(() -> Timestamps.parse("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
    }
}
