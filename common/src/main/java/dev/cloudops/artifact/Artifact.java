package dev.cloudops.artifact;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One object to store for an alert. Its key follows DESIGN.md section 3, e.g.
 * {@code analyses/2026-11-27/example.com/02-24-37-01J...md} or {@code audit/2026/11/27/01J....json};
 * {@code at} is the time the key is dated by (UTC).
 */
public record Artifact(ArtifactKind kind, String alertId, String domain, Instant at, byte[] content) {

    private static final Pattern ALERT_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final Pattern UNSAFE_IN_DOMAIN = Pattern.compile("[^a-z0-9.-]");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_PATH =
            DateTimeFormatter.ofPattern("uuuu/MM/dd").withZone(ZoneOffset.UTC);

    public Artifact {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(content, "content");
        if (alertId == null || !ALERT_ID.matcher(alertId).matches()) {
            throw new IllegalArgumentException("not an alert id: " + alertId);
        }
        if (domain.isBlank()) {
            throw new IllegalArgumentException("an artifact needs the alert's domain");
        }
    }

    /** The object key, from the kind, the alert and the time. */
    public String key() {
        if (kind == ArtifactKind.ARCHIVE) {
            return kind.prefix() + "/" + DAY_PATH.format(at) + "/" + alertId + kind.extension();
        }
        return kind.prefix() + "/" + DAY.format(at) + "/" + safeDomain() + "/" + TIME.format(at) + "-" + alertId
                + kind.extension();
    }

    /** The domain as a single safe key segment: host characters only, anything else replaced. */
    String safeDomain() {
        String lower = domain.toLowerCase(Locale.ROOT);
        String safe = UNSAFE_IN_DOMAIN.matcher(lower).replaceAll("_");
        return safe.equals(".") || safe.equals("..") ? "_" : safe;
    }
}
