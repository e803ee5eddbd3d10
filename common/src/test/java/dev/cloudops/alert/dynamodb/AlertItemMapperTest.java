package dev.cloudops.alert.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Alert;
import dev.cloudops.testing.AlertFixtures;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AlertItemMapperTest {

    @Test
    void roundTrip_keepsEveryFieldOfAFullyPopulatedAlert() {
        Alert alert = AlertFixtures.fullyPopulated("01JFULL");

        Alert back = AlertItemMapper.fromItem(AlertItemMapper.toItem(alert));

        assertThat(back).isEqualTo(alert);
        assertThat(back).hasNoNullFieldsOrProperties();
    }

    @Test
    void toItem_usesTheOriginalAttributeNamesAndTypes() {
        Map<String, AttributeValue> item = AlertItemMapper.toItem(AlertFixtures.fullyPopulated("01JFULL"));

        assertThat(item).containsKeys("alert_id", "timestamp", "domain", "issue_type", "error_details",
                "agent_session_id", "agent_analysis", "s3_analysis_url", "s3_analysis_key", "approval_status",
                "approved_by", "approved_at", "rejection_reason", "execution_status", "execution_log_url",
                "executed_at", "execution_duration", "severity", "affected_services", "estimated_impact", "ttl",
                "target_url", "fingerprint", "occurrences", "last_seen", "analyzer", "plan", "plan_hash",
                "approvals", "required_approvals", "evidence_key", "audit", "version", "resolved_at", "resolution",
                "refused_attempts", "last_refused_at", "runbook_id");
        assertThat(item.get("timestamp").s()).isEqualTo("2026-11-27T02:24:37.120Z");
        assertThat(item.get("execution_duration").n()).isEqualTo("12.345");
        assertThat(item.get("ttl").n()).isEqualTo("1796351077");
        assertThat(item.get("analyzer").s()).isEqualTo("runbook");
        assertThat(item.get("runbook_id").s()).isEqualTo("rb-" + "e".repeat(32));
        assertThat(item.get("resolution").s()).isEqualTo("remediated");
        assertThat(item.get("approval_status").s()).isEqualTo("APPROVED");
        assertThat(item.get("execution_status").s()).isEqualTo("COMPLETED");
        assertThat(item.get("audit").l().get(1).m().get("source_ip").s()).isEqualTo("203.0.113.7");
    }

    @Test
    void toItem_leavesAbsentValuesOut() {
        Map<String, AttributeValue> item = AlertItemMapper.toItem(AlertFixtures.detected("01JMIN"));

        assertThat(item).doesNotContainKeys("approved_by", "plan", "ttl", "analyzer", "resolution",
                "execution_duration", "affected_services", "refused_attempts", "last_refused_at", "runbook_id");
        assertThat(item.values()).noneMatch(v -> Boolean.TRUE.equals(v.nul()));
    }

    @Test
    void fromItem_namesTheAlertAndTheAttribute_whenAnItemIsCorrupt() {
        Map<String, AttributeValue> item = new HashMap<>(AlertItemMapper.toItem(AlertFixtures.detected("01JBAD")));
        item.put("occurrences", AttributeValue.fromS("three"));

        assertThatThrownBy(() -> AlertItemMapper.fromItem(item))
                .isInstanceOf(CorruptItemException.class)
                .hasMessageContaining("01JBAD")
                .hasMessageContaining("occurrences");
    }
}
