package dev.cloudops.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A learned runbook and its record: the template, whether it is only a candidate or active (promoted by a person),
 * the alert that taught it, how often it was proposed and verified, its last failure, from how many verified
 * successes on it may approve LOW alerts by itself (0: never, the default), and who promoted it and when.
 *
 * @param id the template's {@link #idOf id}: the same fix learned twice is one runbook
 * @param autoApproveAfter from how many verified successes on the runbook approves its own plan for LOW alerts
 *     ({@link AutoApproval}); 0, the default, means never
 * @param autoApprovalBy the verified person who last set {@code autoApproveAfter} on the review portal; null when
 *     nobody did
 * @param promotedBy the verified person who made it active on the review portal; null while it is a candidate
 * @param promotedAt when they did; null while it is a candidate
 * @param version the stored version, for conditional writes (0 before the first write)
 */
public record Runbook(String id, RunbookTemplate template, Status status, String taughtBy, Instant learnedAt,
        int uses, int verifiedSuccesses, Instant lastFailureAt, String lastFailure, int autoApproveAfter,
        String autoApprovalBy, String promotedBy, Instant promotedAt, long version) {

    /** A candidate waits for a person to promote it; an active runbook is proposed before any analysis. */
    public enum Status { CANDIDATE, ACTIVE }

    public Runbook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(taughtBy, "taughtBy");
        learnedAt = Timestamps.stored(Objects.requireNonNull(learnedAt, "learnedAt"));
        lastFailureAt = lastFailureAt == null ? null : Timestamps.stored(lastFailureAt);
        promotedAt = promotedAt == null ? null : Timestamps.stored(promotedAt);
        if (uses < 0 || verifiedSuccesses < 0 || autoApproveAfter < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }

    /** A new candidate, taught by the verified execution of {@code alertId}'s plan: one verified success. */
    public static Runbook candidate(RunbookTemplate template, String alertId, Instant at) {
        return new Runbook(idOf(template), template, Status.CANDIDATE, alertId, at, 0, 1, null, null, 0, null, null,
                null, 0);
    }

    /** This runbook made active by {@code person} at {@code at}, at the same version (the store's replace counts it). */
    public Runbook promoted(String person, Instant at) {
        return new Runbook(id, template, Status.ACTIVE, taughtBy, learnedAt, uses, verifiedSuccesses, lastFailureAt,
                lastFailure, autoApproveAfter, autoApprovalBy, Objects.requireNonNull(person, "person"),
                Objects.requireNonNull(at, "at"), version);
    }

    /**
     * This runbook back to a candidate after its plan failed for an alert ({@code reason}, at {@code at}), at the same
     * version: it is proposed again only when a person promotes it again, and its auto-approval is off until a person
     * sets it again.
     */
    public Runbook demoted(String reason, Instant at) {
        return new Runbook(id, template, Status.CANDIDATE, taughtBy, learnedAt, uses, verifiedSuccesses,
                Objects.requireNonNull(at, "at"), Objects.requireNonNull(reason, "reason"), 0, null, null, null,
                version);
    }

    /**
     * This runbook approving its own plan for LOW alerts from {@code after} verified successes on (0: never), as
     * {@code person} set it, at the same version.
     */
    public Runbook autoApproving(int after, String person) {
        return new Runbook(id, template, status, taughtBy, learnedAt, uses, verifiedSuccesses, lastFailureAt,
                lastFailure, after, Objects.requireNonNull(person, "person"), promotedBy, promotedAt, version);
    }

    /** This runbook with one more use (its plan was proposed for an alert), at the same version. */
    public Runbook used() {
        return new Runbook(id, template, status, taughtBy, learnedAt, uses + 1, verifiedSuccesses, lastFailureAt,
                lastFailure, autoApproveAfter, autoApprovalBy, promotedBy, promotedAt, version);
    }

    /**
     * {@code rb-} and the first 32 hex digits of the SHA-256 of the template's issue type, plan, parameters and
     * predicates: deterministic, so the same fix learned from two alerts is recognised as one.
     */
    public static String idOf(RunbookTemplate template) {
        StringBuilder text = new StringBuilder(template.issueType().name()).append('\n').append(template.plan());
        template.parameters().forEach(p -> text.append('\n').append(p.name()).append('=').append(p.from().source())
                .append('#').append(p.from().ordinal()).append(p.from().pointer()).append(p.stripDot() ? "." : ""));
        template.predicates().forEach(p -> text.append('\n').append(p.at().source()).append('#')
                .append(p.at().ordinal()).append(p.at().pointer()).append("==").append(p.expected()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "rb-" + HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * The first step of the plan that cannot be undone, as "S2 (why)"; empty when every step can. A runbook with one
     * never approves its plan by itself ({@link AutoApproval}).
     */
    public Optional<String> irreversibleStep() {
        for (JsonNode step : RunbookTemplate.tree(template.plan()).path("steps")) {
            JsonNode irreversible = step.path("inverse").path("irreversible");
            if (irreversible.isTextual()) {
                return Optional.of(step.path("id").asText() + " (" + irreversible.asText() + ")");
            }
        }
        return Optional.empty();
    }

    /** The template's plan as canonical JSON with placeholders, for people and logs. */
    public String planTemplate() {
        return PlanJson.canonical(RunbookTemplate.tree(template.plan()));
    }
}
