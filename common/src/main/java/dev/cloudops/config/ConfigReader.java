package dev.cloudops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values from an environment map and collects every problem instead of stopping at the
 * first; {@link #check()} then throws one {@link ConfigException} naming them all. Getters return null
 * for a value with a problem, so build the config record only after {@code check()}.
 */
public final class ConfigReader {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(Map<String, String> env) {
        // A read-only view, not a copy: every value is read through env.get(name), which lets the
        // deploy tests record the variables a config reads.
        this.env = Collections.unmodifiableMap(env);
    }

    /** A value that must be present and not blank. */
    public String required(String name) {
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is missing");
        }
        return value;
    }

    /** A required value that must match {@code pattern}; {@code what} describes the expected form. */
    public String required(String name, Pattern pattern, String what) {
        String value = required(name);
        if (value != null && !pattern.matcher(value).matches()) {
            problems.add(name + " must be " + what + ", was '" + value + "'");
            return null;
        }
        return value;
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(raw(name));
    }

    /** An absolute http(s) URI, when set. */
    public Optional<URI> optionalUri(String name) {
        String value = raw(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                problems.add(name + " must be an absolute http or https URL, was '" + value + "'");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(name + " must be an absolute http or https URL, was '" + value + "'");
            return Optional.empty();
        }
    }

    /**
     * A duration given as ISO-8601 ({@code PT15M}, {@code P7D}) or short form ({@code 900s}, {@code 15m},
     * {@code 24h}, {@code 7d}), between {@code min} and {@code max}; {@code fallback} when unset.
     */
    public Duration duration(String name, Duration fallback, Duration min, Duration max) {
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null) {
            problems.add(name + " must be a duration such as 15m, 24h, 7d or PT15M, was '" + value + "'");
            return null;
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            problems.add(name + " must be between " + min + " and " + max + ", was " + parsed);
            return null;
        }
        return parsed;
    }

    /** An integer between {@code min} and {@code max}; {@code fallback} when unset. */
    public Integer integer(String name, int fallback, int min, int max) {
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", was " + parsed);
                return null;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, was '" + value + "'");
            return null;
        }
    }

    /** A decimal number between {@code min} and {@code max}; {@code fallback} when unset. */
    public Double decimal(String name, double fallback, double min, double max) {
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                problems.add(name + " must be between " + min + " and " + max + ", was " + value);
                return null;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number such as 0.003, was '" + value + "'");
            return null;
        }
    }

    /** Records a problem found by the caller (e.g. two settings that contradict each other). */
    public void problem(String description) {
        problems.add(description);
    }

    /** Throws one exception naming every problem recorded so far; returns when there is none. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private String raw(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Duration parseDuration(String value) {
        Matcher m = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
