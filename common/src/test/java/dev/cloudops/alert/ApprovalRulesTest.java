package dev.cloudops.alert;

import static dev.cloudops.testing.AlertFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.config.ConfigException;
import dev.cloudops.config.ConfigReader;
import dev.cloudops.testing.AlertFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {

    private static final Instant T = Instant.parse("2026-11-27T02:30:00Z");
    private final ApprovalRules rules = ApprovalRules.defaults();

    @Test
    void problems_areNone_forTwoDistinctAllowedPeople_onACriticalAlert() {
        Alert approved = approve(AlertFixtures.pending(AlertFixtures.detected("01JX"), 2), "sub-a", "admin", "sub-b",
                "ops-lead");

        assertThat(rules.problems(critical(approved), approved.planHash())).isEmpty();
    }

    @Test
    void problems_nameEachReason_anApprovalDoesNotCount() {
        Alert approved = approve(AlertFixtures.pending(AlertFixtures.detected("01JX"), 2), "sub-a", "engineer", "sub-b",
                "admin");

        List<String> problems = rules.problems(critical(approved), approved.planHash());

        assertThat(problems).containsExactly("critical alerts need 2 approvals from distinct people; 1 valid",
                "sub-a approved as engineer, but critical alerts may be approved by admin, ops-lead");
    }

    @Test
    void problems_refuseAnApprovalForAnotherPlan_andCountTheSeverityNotTheRecord() {
        Alert approved = approve(AlertFixtures.pending("01JX"), "sub-a", "engineer");

        assertThat(rules.problems(approved, "b".repeat(64))).containsExactly(
                "high alerts need 1 approval; 0 valid",
                "sub-a approved plan " + approved.planHash() + ", not the plan " + "b".repeat(64) + " that would run");
        assertThat(rules.problems(critical(approved), approved.planHash()))
                .startsWith("critical alerts need 2 approvals from distinct people; 0 valid");
    }

    @Test
    void read_namesEveryProblem_ofBothVariables() {
        ConfigReader reader = new ConfigReader(Map.of("APPROVAL_ROLES", "critical=admin;bogus=x",
                "LINK_MODE_SEVERITIES", "low,critical"));

        ApprovalRules.read(reader);

        org.assertj.core.api.Assertions.assertThatThrownBy(reader::check).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'bogus' is not a severity").hasMessageContaining("high is missing")
                .hasMessageContaining("LINK_MODE_SEVERITIES may not include critical");
    }

    /** Approvals by the given subjects (named after them) under the given roles, in pairs. */
    private static Alert approve(Alert pending, String... subjectsAndRoles) {
        Alert alert = pending;
        for (int i = 0; i < subjectsAndRoles.length; i += 2) {
            alert = alert.approve(person(subjectsAndRoles[i]), subjectsAndRoles[i], subjectsAndRoles[i + 1], null,
                    alert.planHash(), T).after();
        }
        return alert;
    }

    private static Alert critical(Alert alert) {
        Alert.Builder b = new Alert.Builder(alert.alertId(), alert.timestamp(), alert.domain(), alert.issueType(),
                Severity.CRITICAL, alert.targetUrl());
        return b.state(alert.state()).plan(alert.plan()).planHash(alert.planHash()).approvals(alert.approvals())
                .requiredApprovals(alert.requiredApprovals()).build();
    }
}
