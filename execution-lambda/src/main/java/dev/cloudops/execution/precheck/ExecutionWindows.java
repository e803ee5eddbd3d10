package dev.cloudops.execution.precheck;

import dev.cloudops.alert.Severity;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When executions may run, per severity: {@code always}, or days and a daily time range in a time zone,
 * e.g. {@code critical=always;high=always;medium=Mon-Fri 08:00-18:00;low=Sat,Sun 02:00-06:00}. A severity
 * not named may run at any time.
 */
public final class ExecutionWindows {

    /** One window: the days it opens on and the time range (start inclusive, end exclusive). */
    record Window(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
    }

    private final Map<Severity, Window> windows;
    private final ZoneId zone;

    private ExecutionWindows(Map<Severity, Window> windows, ZoneId zone) {
        this.windows = Map.copyOf(windows);
        this.zone = zone;
    }

    public static ExecutionWindows always() {
        return new ExecutionWindows(Map.of(), ZoneId.of("UTC"));
    }

    /**
     * Parses the specification; every problem is added to {@code problems}.
     */
    public static ExecutionWindows parse(String spec, ZoneId zone, List<String> problems) {
        Map<Severity, Window> windows = new EnumMap<>(Severity.class);
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                problems.add("'" + entry.strip() + "' is not severity=window");
                continue;
            }
            Severity severity;
            try {
                severity = Severity.valueOf(entry.substring(0, eq).strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("'" + entry.substring(0, eq).strip() + "' is not a severity");
                continue;
            }
            String window = entry.substring(eq + 1).strip();
            if (window.equalsIgnoreCase("always")) {
                continue;
            }
            parseWindow(window, problems).ifPresent(w -> windows.put(severity, w));
        }
        return new ExecutionWindows(windows, zone);
    }

    private static Optional<Window> parseWindow(String text, List<String> problems) {
        String[] parts = text.split("\\s+");
        if (parts.length != 2 || !parts[1].contains("-")) {
            problems.add("'" + text + "' is not 'always' or 'DAYS HH:MM-HH:MM' (e.g. Mon-Fri 08:00-18:00)");
            return Optional.empty();
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : parts[0].split(",")) {
            String[] range = d.split("-");
            try {
                DayOfWeek from = day(range[0]);
                DayOfWeek to = range.length > 1 ? day(range[1]) : from;
                for (DayOfWeek x = from; ; x = x.plus(1)) {
                    days.add(x);
                    if (x == to) {
                        break;
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add("'" + d + "' is not a day or range of days (Mon, Tue, ..., Sun)");
                return Optional.empty();
            }
        }
        String[] times = parts[1].split("-");
        try {
            LocalTime start = LocalTime.parse(times[0]);
            LocalTime end = LocalTime.parse(times[1]);
            if (!start.isBefore(end)) {
                problems.add("'" + parts[1] + "' must start before it ends (split a window that spans midnight)");
                return Optional.empty();
            }
            return Optional.of(new Window(days, start, end));
        } catch (DateTimeParseException | ArrayIndexOutOfBoundsException e) {
            problems.add("'" + parts[1] + "' is not HH:MM-HH:MM");
            return Optional.empty();
        }
    }

    private static DayOfWeek day(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (t.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException(text);
    }

    public boolean isOpen(Severity severity, Instant at) {
        Window w = windows.get(severity);
        if (w == null) {
            return true;
        }
        ZonedDateTime t = at.atZone(zone);
        LocalTime time = t.toLocalTime();
        return w.days().contains(t.getDayOfWeek()) && !time.isBefore(w.start()) && time.isBefore(w.end());
    }

    /** The next time the window of this severity opens after {@code at} ({@code at} itself when open). */
    public Instant nextOpening(Severity severity, Instant at) {
        if (isOpen(severity, at)) {
            return at;
        }
        Window w = windows.get(severity);
        ZonedDateTime t = at.atZone(zone);
        for (int i = 0; i <= 7; i++) {
            ZonedDateTime opening = t.toLocalDate().plusDays(i).atTime(w.start()).atZone(zone);
            if (w.days().contains(opening.getDayOfWeek()) && opening.toInstant().isAfter(at)) {
                return opening.toInstant();
            }
        }
        throw new IllegalStateException("a window with days always opens within a week");
    }

    /** The windows as configured, for the log. */
    public String describe(Severity severity) {
        Window w = windows.get(severity);
        if (w == null) {
            return "always";
        }
        List<String> days = new ArrayList<>();
        w.days().forEach(d -> days.add(d.name().substring(0, 3)));
        return String.join(",", days) + " " + w.start() + "-" + w.end() + " " + zone;
    }
}
