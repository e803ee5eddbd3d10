package dev.cloudops.approval.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpApiEvents events = new HttpApiEvents(JSON);

    @Test
    void decode_readsMethodPathQueryHeadersAndCaller() throws IOException {
        byte[] event = event("get-review.json", Map.of("ALERT_ID", "01JABC", "TOKEN", "a.b"));

        HttpRequest request = events.decode(event);

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/alerts/01JABC");
        assertThat(request.query()).containsExactly(Map.entry("t", "a.b"));
        assertThat(request.header("Accept")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(request.sourceIp()).isEqualTo("203.0.113.24");
        assertThat(request.userAgent()).contains("Chrome/131");
        assertThat(request.claims()).isEmpty();
        assertThat(request.wantsJson()).isFalse();
    }

    @Test
    void decode_decodesABase64FormBody() throws IOException {
        String form = "decision=approve&comment=ok";
        byte[] event = event("post-decision-form.json", Map.of("ALERT_ID", "01JABC",
                "FORM_BASE64", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8))));

        HttpRequest request = events.decode(event);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.body()).isEqualTo(form);
    }

    @Test
    void decode_readsTheJwtAuthorizerClaims() throws IOException {
        byte[] event = event("get-review-cognito.json", Map.of("ALERT_ID", "01JABC", "SUB", "s-1",
                "USERNAME", "ana", "GROUPS", "[admin ops-lead]"));

        HttpRequest request = events.decode(event);

        assertThat(request.claims()).containsEntry("username", "ana").containsEntry("sub", "s-1")
                .containsEntry("token_use", "access").containsEntry("scope", "openid email cloudops/review")
                .containsEntry("cognito:groups", "[admin ops-lead]");
    }

    @Test
    void decode_stripsANamedStageFromThePath() throws IOException {
        JsonNode event = JSON.readTree(event("get-review.json", Map.of("ALERT_ID", "01JABC", "TOKEN", "x")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("rawPath", "/prod/alerts/01JABC");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("requestContext")).put("stage", "prod");

        assertThat(events.decode(JSON.writeValueAsBytes(event)).path()).isEqualTo("/alerts/01JABC");
    }

    @Test
    void decode_refusesWhatIsNotAnHttpApiEvent() {
        assertThatThrownBy(() -> events.decode("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("payload 2.0");
        assertThatThrownBy(() -> events.decode("{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRequestException.class);
        assertThatThrownBy(() -> events.decode("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRequestException.class).hasMessage("the event is not JSON");
        assertThatThrownBy(() -> events.decode(("{\"version\":\"2.0\",\"rawPath\":\"/alerts\",\"requestContext\":"
                + "{\"http\":{\"method\":\"POST\"}},\"isBase64Encoded\":true,\"body\":\"%%%\"}")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("marked base64");
    }

    @Test
    void decode_refusesRepeatedQueryParameters() throws IOException {
        JsonNode event = JSON.readTree(event("get-review.json", Map.of("ALERT_ID", "01JABC", "TOKEN", "x")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("rawQueryString", "t=a&t=b");

        assertThatThrownBy(() -> events.decode(JSON.writeValueAsBytes(event)))
                .isInstanceOf(MalformedRequestException.class).hasMessage("the query gives 't' more than once");
    }

    @Test
    void encode_writesTheResponseEventApiGatewayExpects() throws IOException {
        HttpResponse response = new HttpResponse(409, HttpResponse.baseHeaders("text/html; charset=utf-8"), "<p>x</p>");

        JsonNode out = JSON.readTree(events.encode(response));

        assertThat(out.path("statusCode").asInt()).isEqualTo(409);
        assertThat(out.path("body").asText()).isEqualTo("<p>x</p>");
        assertThat(out.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(out.path("headers").path("X-Frame-Options").asText()).isEqualTo("DENY");
    }

    private static byte[] event(String name, Map<String, String> vars) throws IOException {
        String text;
        try (InputStream in = HttpApiEventsTest.class.getResourceAsStream("/events/" + name)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (var e : vars.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        return text.replace("${CONTENT_LENGTH}", "0").getBytes(StandardCharsets.UTF_8);
    }
}
