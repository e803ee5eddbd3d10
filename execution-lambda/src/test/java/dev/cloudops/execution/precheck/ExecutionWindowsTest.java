package dev.cloudops.execution.precheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Severity;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionWindowsTest {

    // 2026-11-27 is a Friday.
    private static final Instant FRIDAY_NOON = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant FRIDAY_NIGHT = Instant.parse("2026-11-27T21:00:00Z");

    @Test
    void aWeekdayWindow_isOpenInsideIt_andNextOpensOnMonday() {
        List<String> problems = new ArrayList<>();
        ExecutionWindows windows = ExecutionWindows.parse("critical=always;medium=Mon-Fri 08:00-18:00", ZoneId.of("UTC"),
                problems);

        assertThat(problems).isEmpty();
        assertThat(windows.isOpen(Severity.MEDIUM, FRIDAY_NOON)).isTrue();
        assertThat(windows.isOpen(Severity.MEDIUM, FRIDAY_NIGHT)).isFalse();
        assertThat(windows.nextOpening(Severity.MEDIUM, FRIDAY_NIGHT)).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(windows.isOpen(Severity.CRITICAL, FRIDAY_NIGHT)).isTrue();
        assertThat(windows.isOpen(Severity.LOW, FRIDAY_NIGHT)).isTrue();
    }

    @Test
    void windowsFollowTheirTimeZone() {
        ExecutionWindows windows = ExecutionWindows.parse("low=Sat,Sun 02:00-06:00", ZoneId.of("Europe/Paris"),
                new ArrayList<>());

        assertThat(windows.nextOpening(Severity.LOW, FRIDAY_NOON)).isEqualTo(Instant.parse("2026-11-28T01:00:00Z"));
        assertThat(windows.isOpen(Severity.LOW, Instant.parse("2026-11-29T04:59:00Z"))).isTrue();
        assertThat(windows.isOpen(Severity.LOW, Instant.parse("2026-11-29T05:00:00Z"))).isFalse();
    }

    @Test
    void everyProblemIsNamed() {
        List<String> problems = new ArrayList<>();

        ExecutionWindows.parse("urgent=always;high=weekdays;medium=Mon-Fri 18:00-08:00;low=Mon-Xyz 01:00-02:00",
                ZoneId.of("UTC"), problems);

        assertThat(problems).containsExactly("'urgent' is not a severity",
                "'weekdays' is not 'always' or 'DAYS HH:MM-HH:MM' (e.g. Mon-Fri 08:00-18:00)",
                "'18:00-08:00' must start before it ends (split a window that spans midnight)",
                "'Mon-Xyz' is not a day or range of days (Mon, Tue, ..., Sun)");
    }
}
