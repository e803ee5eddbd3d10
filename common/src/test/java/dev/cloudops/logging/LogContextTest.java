package dev.cloudops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @Test
    void nestedBlocks_restoreTheOuterAlertId() {
        try (var outer = LogContext.alert("01JOUTER")) {
            try (var inner = LogContext.alert("01JINNER")) {
                assertThat(MDC.get("alert_id")).isEqualTo("01JINNER");
            }
            assertThat(MDC.get("alert_id")).isEqualTo("01JOUTER");
        }
        assertThat(MDC.get("alert_id")).isNull();
    }
}
