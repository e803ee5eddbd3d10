package dev.cloudops.approval;

import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.alert.Severity;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may decide which alerts, for a person at the review page: the {@link ApprovalRules} (the groups allowed
 * per severity, where an empty set means any authenticated person, and the severities a person named only on
 * the page may decide), which the execution function checks the approvals against again.
 */
public record ApprovalPolicy(ApprovalRules rules) {

    /** The original design's table: critical admin, ops-lead; high + senior-engineer; medium + engineer; low anyone. */
    public static ApprovalPolicy defaults() {
        return new ApprovalPolicy(ApprovalRules.defaults());
    }

    public Map<Severity, Set<String>> roles() {
        return rules.roles();
    }

    public Set<Severity> linkModeSeverities() {
        return rules.linkModeSeverities();
    }

    /**
     * The role under which this identity may decide an alert of this severity, or why not. Critical
     * alerts need verified identities (two distinct ones to approve).
     */
    public Optional<String> refusal(Identity who, Severity severity) {
        if (!who.verified()) {
            if (severity == Severity.CRITICAL || !linkModeSeverities().contains(severity)) {
                return Optional.of(severity.name().toLowerCase() + " alerts need a signed-in, verified identity");
            }
            return Optional.empty();
        }
        Set<String> allowed = roles().getOrDefault(severity, Set.of());
        if (allowed.isEmpty() || who.groups().stream().anyMatch(allowed::contains)) {
            return Optional.empty();
        }
        return Optional.of(severity.name().toLowerCase() + " alerts may be decided by " + String.join(", ",
                new java.util.TreeSet<>(allowed)) + "; " + who.name() + " is in " + (who.groups().isEmpty() ? "no group"
                : String.join(", ", new java.util.TreeSet<>(who.groups()))));
    }

    /** The role recorded with a decision: the first group of the identity that the policy names, else its kind. */
    public String roleOf(Identity who, Severity severity) {
        Set<String> allowed = roles().getOrDefault(severity, Set.of());
        return who.groups().stream().filter(allowed::contains).sorted().findFirst()
                .orElse(who.verified() ? "authenticated" : "link holder");
    }
}
