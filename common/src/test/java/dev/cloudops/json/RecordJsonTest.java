package dev.cloudops.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.testing.AlertFixtures;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    @Test
    void toJson_writesEveryFieldOfAnAlert_withNestedAuditAndApprovals() throws Exception {
        Alert alert = AlertFixtures.fullyPopulated("01JARCHIVE");

        JsonNode json = RecordJson.toJson(alert);

        assertThat(json.path("alert_id").asText()).isEqualTo("01JARCHIVE");
        assertThat(json.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.path("execution_duration").asText()).isEqualTo("PT12.345S");
        assertThat(json.path("approved_at").asText()).isEqualTo(alert.approvedAt().toString());
        assertThat(json.path("audit")).hasSize(alert.audit().size());
        assertThat(json.path("audit").get(0).path("action").asText()).isEqualTo(alert.audit().getFirst().action().name());
        assertThat(json.path("affected_services").get(0).asText()).isEqualTo("ACM");
        assertThat(json.path("version").isNumber()).isTrue();
        int set = 0;
        for (RecordComponent c : Alert.class.getRecordComponents()) {
            set += c.getAccessor().invoke(alert) == null ? 0 : 1;
        }
        assertThat(json.size()).isEqualTo(set);
    }
}
