package dev.cloudops.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The one textual form of an instant in stored data: UTC, millisecond precision, fixed width, so it sorts. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FOR_PEOPLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Formats as {@code 2026-11-27T02:24:37.120Z}; sub-millisecond digits are dropped. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** Parses any ISO-8601 instant, truncated to the millisecond. */
    public static Instant parse(String text) {
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + text + "'", e);
        }
    }

    /**
     * Formats for a sentence a person reads, to the minute: {@code 2026-11-30 05:09 UTC}. A date alone
     * leaves the reader guessing near the end ("expires on the 29th, in 1 day" read on the 27th).
     */
    public static String forPeople(Instant instant) {
        return FOR_PEOPLE.format(instant);
    }

    /** Whole days as a person says them: {@code 1 day}, {@code 3 days}. */
    public static String days(long days) {
        return days + (Math.abs(days) == 1 ? " day" : " days");
    }

    /** Truncates to the precision that is stored, so values survive a round trip unchanged. */
    public static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
