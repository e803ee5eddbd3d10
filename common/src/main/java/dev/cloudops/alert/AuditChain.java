package dev.cloudops.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.json.Json;
import dev.cloudops.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hash chain over an alert's audit trail: each entry carries the link of the entry before it (the first, the
 * alert's genesis link), a link is the SHA-256 of the entry's canonical form including that field, and the alert
 * stores the trail's head ({@link Head}: how many entries and the last one's link), changed only by a conditional
 * write. Editing, removing, reordering or cutting off entries therefore shows: {@link #verify} names the first.
 */
public final class AuditChain {

    private static final Pattern HEAD = Pattern.compile("(\\d{1,9}):([0-9a-f]{64})");

    private AuditChain() {
    }

    /** The link the first entry of {@code alertId}'s trail is chained to. */
    public static String genesis(String alertId) {
        return sha256("cloudops-audit-v1\n" + Objects.requireNonNull(alertId, "alertId"));
    }

    /** The SHA-256 (hex) of {@code event}'s canonical form: its fields in a fixed order, its link included. */
    public static String link(AuditEvent event) {
        ObjectNode canonical = Json.mapper().createObjectNode();
        canonical.put("previous", event.previous());
        canonical.put("at", Timestamps.format(event.at()));
        canonical.put("action", event.action().name());
        canonical.put("actor", event.actor());
        canonical.put("verified", event.verified());
        canonical.put("source_ip", event.sourceIp());
        canonical.put("user_agent", event.userAgent());
        canonical.put("result", event.result());
        canonical.put("detail", event.detail());
        return sha256(canonical.toString());
    }

    /** The head of {@code trail}: its length and the last entry's link (the genesis link when empty). */
    public static Head head(String alertId, List<AuditEvent> trail) {
        return new Head(trail.size(), trail.isEmpty() ? genesis(alertId) : link(trail.getLast()));
    }

    /** {@code event} chained after {@code trail}. */
    public static AuditEvent append(String alertId, List<AuditEvent> trail, AuditEvent event) {
        return event.chainedTo(head(alertId, trail).link());
    }

    /** The trail's length and its last entry's link, stored on the alert as {@code 12:<64 hex digits>}. */
    public record Head(int length, String link) {

        public Head {
            Objects.requireNonNull(link, "link");
            if (length < 0) {
                throw new IllegalArgumentException("a trail's length cannot be negative: " + length);
            }
        }

        public String wire() {
            return length + ":" + link;
        }

        public static Optional<Head> parse(String wire) {
            Matcher m = wire == null ? null : HEAD.matcher(wire);
            return m != null && m.matches() ? Optional.of(new Head(Integer.parseInt(m.group(1)), m.group(2)))
                    : Optional.empty();
        }
    }

    /** What {@link #verify} found. */
    public sealed interface Verdict {

        /** The trail is the one the head was written for, entry by entry. */
        record Intact(int length) implements Verdict {
        }

        /**
         * The trail was changed: the first entry (0-based {@code position} in the trail as read) that is not what
         * was written, and how.
         */
        record Broken(Tampering tampering, int position, String detail) implements Verdict {
        }

        /** Entries written before the trail was chained: nothing to check them against. */
        record Unchained(int firstUnchained) implements Verdict {
        }
    }

    /** How a trail was changed. */
    public enum Tampering { EDITED, MISSING, REORDERED, TRUNCATED, HEAD_CHANGED }

    /**
     * Checks {@code trail} against the chain and the stored {@code head}: every entry must carry the link of the one
     * before it, and the last one's link and the length must be the head's. Names the first entry that breaks it:
     * an entry whose link another entry before it carries was moved (REORDERED); an entry whose link nothing
     * explains follows one that was removed (MISSING, when the trail is also shorter than the head says) or edited
     * (EDITED: the entry before it no longer hashes to what it carries); a consistent trail shorter than its head
     * lost its tail (TRUNCATED).
     */
    public static Verdict verify(String alertId, List<AuditEvent> trail, Head head) {
        Objects.requireNonNull(head, "head");
        Map<String, Integer> positionOfLink = new HashMap<>();
        String running = genesis(alertId);
        for (int i = 0; i < trail.size(); i++) {
            AuditEvent event = trail.get(i);
            if (event.previous() == null) {
                return new Verdict.Unchained(i);
            }
            if (!event.previous().equals(running)) {
                Integer carriedBy = indexOfEntryCarrying(trail, running, i + 1);
                if (carriedBy != null || positionOfLink.containsKey(event.previous())
                        || linkOfAnyLater(trail, event.previous(), i)) {
                    return new Verdict.Broken(Tampering.REORDERED, i, "entry " + (i + 1) + " (" + event.action()
                            + ") is out of place: it was written after another entry than the one before it now");
                }
                if (trail.size() < head.length()) {
                    return new Verdict.Broken(Tampering.MISSING, i, "an entry before entry " + (i + 1) + " ("
                            + event.action() + ") is missing: the trail has " + trail.size() + " of " + head.length()
                            + " entries");
                }
                return new Verdict.Broken(Tampering.EDITED, Math.max(0, i - 1), i == 0
                        ? "entry 1 (" + event.action() + ") does not start this alert's chain"
                        : "entry " + i + " (" + trail.get(i - 1).action() + ") was edited: it no longer hashes to "
                                + "the link entry " + (i + 1) + " carries");
            }
            running = link(event);
            positionOfLink.put(running, i);
        }
        if (trail.size() < head.length()) {
            return new Verdict.Broken(Tampering.TRUNCATED, trail.size(), "the trail ends after " + trail.size()
                    + " entries; " + head.length() + " were written");
        }
        if (trail.size() > head.length() || !running.equals(head.link())) {
            return new Verdict.Broken(trail.isEmpty() ? Tampering.HEAD_CHANGED : Tampering.EDITED,
                    Math.max(0, trail.size() - 1), trail.size() > head.length()
                            ? "the trail has " + trail.size() + " entries; the head says " + head.length()
                            : "the last entry (" + (trail.isEmpty() ? "none" : trail.getLast().action())
                                    + ") does not hash to the stored head");
        }
        return new Verdict.Intact(trail.size());
    }

    /** The position from {@code from} on of an entry carrying {@code link}, if any. */
    private static Integer indexOfEntryCarrying(List<AuditEvent> trail, String link, int from) {
        for (int j = from; j < trail.size(); j++) {
            if (link.equals(trail.get(j).previous())) {
                return j;
            }
        }
        return null;
    }

    /** Whether {@code link} is the link of an entry after {@code position}. */
    private static boolean linkOfAnyLater(List<AuditEvent> trail, String link, int position) {
        for (int j = position + 1; j < trail.size(); j++) {
            if (trail.get(j).previous() != null && link.equals(link(trail.get(j)))) {
                return true;
            }
        }
        return false;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
