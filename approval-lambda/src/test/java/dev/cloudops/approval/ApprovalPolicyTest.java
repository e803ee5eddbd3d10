package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Severity;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApprovalPolicyTest {

    private final ApprovalPolicy policy = ApprovalPolicy.defaults();

    @ParameterizedTest(name = "{0} by {1} (verified {2}) -> allowed {3}")
    @CsvSource({
            "CRITICAL, admin, true, true",
            "CRITICAL, ops-lead, true, true",
            "CRITICAL, senior-engineer, true, false",
            "CRITICAL, engineer, true, false",
            "CRITICAL, '', false, false",
            "HIGH, ops-lead, true, true",
            "HIGH, senior-engineer, true, true",
            "HIGH, engineer, true, false",
            "HIGH, '', false, false",
            "MEDIUM, engineer, true, true",
            "MEDIUM, viewer, true, false",
            "MEDIUM, '', false, true",
            "LOW, viewer, true, true",
            "LOW, '', true, true",
            "LOW, '', false, true"})
    void theDesignsRoleTable(Severity severity, String group, boolean verified, boolean allowed) {
        Identity who = new Identity("someone", "sub:someone", verified, group.isEmpty() ? Set.of() : Set.of(group), null, null);

        assertThat(policy.refusal(who, severity).isEmpty()).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL, admin, admin", "MEDIUM, engineer, engineer", "LOW, viewer, authenticated"})
    void theRecordedRole_isTheGroupThePolicyNames(Severity severity, String group, String role) {
        assertThat(policy.roleOf(new Identity("x", "sub:x", true, Set.of(group), null, null), severity)).isEqualTo(role);
    }
}
