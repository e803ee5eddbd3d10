package dev.cloudops.approval;

import dev.cloudops.alert.Severity;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may decide which alerts (DESIGN.md section 7): the groups allowed per severity (an empty set means
 * any authenticated person), the severities a person named only on the page may decide, and how long
 * an alert may wait for a decision.
 */
public record ApprovalPolicy(Map<Severity, Set<String>> roles, Set<Severity> linkModeSeverities) {

    public ApprovalPolicy {
        roles = Map.copyOf(roles);
        linkModeSeverities = linkModeSeverities.isEmpty() ? Set.of() : EnumSet.copyOf(linkModeSeverities);
    }

    /** The original design's table: critical admin, ops-lead; high + senior-engineer; medium + engineer; low anyone. */
    public static ApprovalPolicy defaults() {
        Map<Severity, Set<String>> roles = new EnumMap<>(Severity.class);
        roles.put(Severity.CRITICAL, Set.of("admin", "ops-lead"));
        roles.put(Severity.HIGH, Set.of("admin", "ops-lead", "senior-engineer"));
        roles.put(Severity.MEDIUM, Set.of("admin", "ops-lead", "senior-engineer", "engineer"));
        roles.put(Severity.LOW, Set.of());
        return new ApprovalPolicy(roles, EnumSet.of(Severity.LOW, Severity.MEDIUM));
    }

    /**
     * The role under which this identity may decide an alert of this severity, or why not. Critical
     * alerts need verified identities (two distinct ones to approve).
     */
    public Optional<String> refusal(Identity who, Severity severity) {
        if (!who.verified()) {
            if (severity == Severity.CRITICAL || !linkModeSeverities.contains(severity)) {
                return Optional.of(severity.name().toLowerCase() + " alerts need a signed-in, verified identity");
            }
            return Optional.empty();
        }
        Set<String> allowed = roles.getOrDefault(severity, Set.of());
        if (allowed.isEmpty() || who.groups().stream().anyMatch(allowed::contains)) {
            return Optional.empty();
        }
        return Optional.of(severity.name().toLowerCase() + " alerts may be decided by " + String.join(", ",
                new java.util.TreeSet<>(allowed)) + "; " + who.name() + " is in " + (who.groups().isEmpty() ? "no group"
                : String.join(", ", new java.util.TreeSet<>(who.groups()))));
    }

    /** The role recorded with a decision: the first group of the identity that the policy names, else its kind. */
    public String roleOf(Identity who, Severity severity) {
        Set<String> allowed = roles.getOrDefault(severity, Set.of());
        return who.groups().stream().filter(allowed::contains).sorted().findFirst()
                .orElse(who.verified() ? "authenticated" : "link holder");
    }
}
