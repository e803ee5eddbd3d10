package dev.cloudops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;

class JsonLoggerTest {

    @Test
    void log_writesOneJsonLine_withMdcFieldsAndTheError() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BasicMDCAdapter mdc = new BasicMDCAdapter();
        Logger log = new JsonLoggerFactory(Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8), mdc)
                .getLogger("dev.cloudops.Test");

        mdc.put("alert_id", "01JX");
        log.warn("probe of {} failed: \"{}\"", "https://a.example/", "503", new IllegalStateException("boom"));
        log.debug("not written at INFO");

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger").asText()).isEqualTo("dev.cloudops.Test");
        assertThat(line.get("message").asText()).isEqualTo("probe of https://a.example/ failed: \"503\"");
        assertThat(line.get("alert_id").asText()).isEqualTo("01JX");
        assertThat(line.get("error").asText()).isEqualTo("java.lang.IllegalStateException: boom");
    }

    @Test
    void threshold_defaultsToInfo_forUnsetOrUnknownLevels() {
        assertThat(JsonLogger.threshold(null)).isEqualTo(Level.INFO);
        assertThat(JsonLogger.threshold("loud")).isEqualTo(Level.INFO);
        assertThat(JsonLogger.threshold("debug")).isEqualTo(Level.DEBUG);
    }
}
