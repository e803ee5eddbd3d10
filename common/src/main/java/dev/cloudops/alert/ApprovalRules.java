package dev.cloudops.alert;

import dev.cloudops.config.ConfigReader;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who may approve which alerts (DESIGN.md section 7), as both the approval function (deciding) and the
 * execution function (checking the approvals again before anything runs) read it: the groups allowed per
 * severity (an empty set means anyone signed in), the severities a person named only on the review page
 * may decide, and how many distinct people a severity needs (two for critical). A learned runbook's own approval
 * (auto-approval, subject {@link #RUNBOOK_SUBJECT} and the runbook's id) counts only where
 * {@link #autoApprovalRefusal} allows one.
 */
public record ApprovalRules(Map<Severity, Set<String>> roles, Set<Severity> linkModeSeverities) {

    /**
     * The subject of the approval a learned runbook gives its own plan, before the runbook's id. No person's subject
     * starts so: a signed-in person's is the identity provider's {@code sub}, a link holder's {@code name:...}.
     */
    public static final String RUNBOOK_SUBJECT = "runbook:";

    private static final Pattern GROUP = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]{1,128}");

    public ApprovalRules {
        roles = Map.copyOf(roles);
        linkModeSeverities = linkModeSeverities.isEmpty() ? Set.of() : EnumSet.copyOf(linkModeSeverities);
    }

    /** The original design's table: critical admin, ops-lead; high + senior-engineer; medium + engineer; low anyone. */
    public static ApprovalRules defaults() {
        Map<Severity, Set<String>> roles = new EnumMap<>(Severity.class);
        roles.put(Severity.CRITICAL, Set.of("admin", "ops-lead"));
        roles.put(Severity.HIGH, Set.of("admin", "ops-lead", "senior-engineer"));
        roles.put(Severity.MEDIUM, Set.of("admin", "ops-lead", "senior-engineer", "engineer"));
        roles.put(Severity.LOW, Set.of());
        return new ApprovalRules(roles, EnumSet.of(Severity.LOW, Severity.MEDIUM));
    }

    /** How many distinct people must approve an alert of this severity before its plan may run. */
    public static int required(Severity severity) {
        return severity == Severity.CRITICAL ? 2 : 1;
    }

    /**
     * {@code APPROVAL_ROLES} (e.g. {@code critical=admin,ops-lead;high=...;low=*}, every severity named) and
     * {@code LINK_MODE_SEVERITIES} (e.g. {@code low,medium} or {@code none}); the defaults where unset. Every
     * problem goes to {@code reader}.
     */
    public static ApprovalRules read(ConfigReader reader) {
        ApprovalRules defaults = defaults();
        Map<Severity, Set<String>> roles = reader.optional("APPROVAL_ROLES").map(v -> roles(v, reader))
                .orElse(defaults.roles());
        Set<Severity> linkMode = reader.optional("LINK_MODE_SEVERITIES").map(v -> severities(v, reader))
                .orElse(defaults.linkModeSeverities());
        return new ApprovalRules(roles, linkMode);
    }

    /**
     * Why the alert's approvals do not allow its plan ({@code planHash}, recomputed from the stored plan) to
     * run; empty when they do. Every approval must have been given for that plan, by a verified person where
     * the severity needs one, under a role the severity allows; and people count once each, by subject.
     */
    public List<String> problems(Alert alert, String planHash) {
        return problems(alert, planHash, null);
    }

    /**
     * As {@link #problems(Alert, String)}, and when the execution runs on credentials scoped to the plan
     * ({@code policyHash}, the SHA-256 of the session policy it would use; null when it does not), every approval
     * must have been given for that policy too: what the page said approving grants is what the run gets.
     */
    public List<String> problems(Alert alert, String planHash, String policyHash) {
        Severity severity = alert.severity();
        Set<String> allowed = roles.getOrDefault(severity, Set.of());
        boolean linkAllowed = severity != Severity.CRITICAL && linkModeSeverities.contains(severity);
        List<String> problems = new ArrayList<>();
        Set<String> people = new LinkedHashSet<>();
        for (Approval a : alert.approvals()) {
            if (!planHash.equals(a.planHash())) {
                problems.add(a.by() + " approved " + (a.planHash() == null ? "no named plan" : "plan " + a.planHash())
                        + ", not the plan " + planHash + " that would run");
            } else if (policyHash != null && !policyHash.equals(a.policyHash())) {
                problems.add(a.by() + " approved " + (a.policyHash() == null ? "no session policy"
                        : "the session policy " + a.policyHash()) + ", not the policy " + policyHash
                        + " that this execution's credentials would have");
            } else if (a.subject() != null && a.subject().startsWith(RUNBOOK_SUBJECT)) {
                Optional<String> refusal = a.subject().equals(RUNBOOK_SUBJECT + alert.runbookId())
                        ? autoApprovalRefusal(alert) : Optional.of("it is not the runbook that proposed the plan");
                if (refusal.isPresent()) {
                    problems.add(a.by() + " may not approve this alert by itself: " + refusal.get());
                } else {
                    people.add(a.person());
                }
            } else if (!a.verified() && !linkAllowed) {
                problems.add(a.by() + " is not a verified identity, which " + name(severity) + " alerts need");
            } else if (a.verified() && !allowed.isEmpty() && !allowed.contains(a.role())) {
                problems.add(a.by() + " approved as " + a.role() + ", but " + name(severity) + " alerts may be approved by "
                        + String.join(", ", new TreeSet<>(allowed)));
            } else {
                people.add(a.person());
            }
        }
        int needed = Math.max(required(severity), alert.requiredApprovals());
        if (people.size() < needed) {
            problems.add(0, name(severity) + " alerts need " + needed + (needed == 1 ? " approval" : " approvals from "
                    + "distinct people") + "; " + people.size() + " valid");
        }
        return problems;
    }

    /**
     * Why no learned runbook may approve {@code alert}'s plan by itself; empty when the runbook that proposed it may
     * (whether that runbook's record allows it, active with auto-approval set and enough verified successes, is for
     * whoever reads the record to check). Only a LOW alert that needs one approval, whose plan a runbook proposed,
     * and whose every step can be undone: a plan with a step marked irreversible, a step for a person included,
     * always waits for a person.
     */
    public static Optional<String> autoApprovalRefusal(Alert alert) {
        if (alert.severity() != Severity.LOW) {
            return Optional.of("only low alerts may be approved by a runbook; this one is " + name(alert.severity()));
        }
        if (alert.analyzer() != Analyzer.RUNBOOK || alert.runbookId() == null) {
            return Optional.of("its plan was not proposed by a runbook");
        }
        if (alert.requiredApprovals() > 1) {
            return Optional.of("it needs " + alert.requiredApprovals() + " approvals from distinct people");
        }
        if (!(alert.plan() != null && PlanJson.parse(alert.plan()) instanceof PlanParse.Valid valid)) {
            return Optional.of("it has no executable plan");
        }
        for (PlanStep step : valid.plan().steps()) {
            if (step.inverse() instanceof Inverse.Irreversible irreversible) {
                return Optional.of("step " + step.id() + " cannot be undone (" + irreversible.reason() + ")");
            }
        }
        return Optional.empty();
    }

    private static String name(Severity severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }

    private static Map<Severity, Set<String>> roles(String text, ConfigReader reader) {
        Map<Severity, Set<String>> roles = new EnumMap<>(Severity.class);
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                reader.problem("APPROVAL_ROLES: '" + entry.strip() + "' is not severity=group,group");
                continue;
            }
            Severity severity = severity(entry.substring(0, eq), "APPROVAL_ROLES", reader);
            if (severity == null) {
                continue;
            }
            Set<String> groups = new LinkedHashSet<>();
            for (String g : entry.substring(eq + 1).split(",")) {
                String group = g.strip();
                if (group.equals("*")) {
                    continue;
                }
                if (!GROUP.matcher(group).matches()) {
                    reader.problem("APPROVAL_ROLES: '" + group + "' is not a group name (for " + severity + ")");
                }
                groups.add(group);
            }
            if (roles.put(severity, groups) != null) {
                reader.problem("APPROVAL_ROLES names " + name(severity) + " twice");
            }
        }
        for (Severity s : Severity.values()) {
            if (!roles.containsKey(s)) {
                reader.problem("APPROVAL_ROLES must name every severity; " + name(s) + " is missing (use " + name(s)
                        + "=* for anyone signed in)");
            }
        }
        return roles;
    }

    private static Set<Severity> severities(String text, ConfigReader reader) {
        Set<Severity> out = EnumSet.noneOf(Severity.class);
        if (text.strip().equalsIgnoreCase("none")) {
            return out;
        }
        for (String part : text.split(",")) {
            Severity s = severity(part, "LINK_MODE_SEVERITIES", reader);
            if (s == Severity.CRITICAL) {
                reader.problem("LINK_MODE_SEVERITIES may not include critical: critical alerts need two verified people");
            } else if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Severity severity(String text, String variable, ConfigReader reader) {
        try {
            return Severity.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            reader.problem(variable + ": '" + text.strip() + "' is not a severity (critical, high, medium, low)");
            return null;
        }
    }
}
