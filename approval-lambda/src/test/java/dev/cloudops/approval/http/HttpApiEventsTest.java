package dev.cloudops.approval.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import dev.cloudops.json.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class HttpApiEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpApiEvents events = new HttpApiEvents(new EventJson());

    @ParameterizedTest
    @Event(value = "events/http-api-get-queue-jwt.json", type = APIGatewayV2HTTPEvent.class)
    void aGetWithJwtClaims_asLambdaDeliversIt(APIGatewayV2HTTPEvent event) {
        HttpRequest request = events.request(event);

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/alerts");
        assertThat(request.query()).isEmpty();
        assertThat(request.sourceIp()).isEqualTo("203.0.113.24");
        assertThat(request.claims()).containsEntry("username", "ana").containsEntry("token_use", "access")
                .containsEntry("sub", "6f1c2a3b-7d4e-4f5a-9b6c-0d1e2f3a4b5c")
                .containsEntry("cognito:groups", "[admin ops-lead]");
        assertThat(event.getRequestContext().getAuthorizer().getJwt().getScopes())
                .containsExactly("openid", "email", "cloudops/review");
    }

    @ParameterizedTest
    @Event(value = "events/http-api-post-decision-jwt.json", type = APIGatewayV2HTTPEvent.class)
    void aPostWithJwtClaims_asLambdaDeliversIt(APIGatewayV2HTTPEvent event) throws IOException {
        HttpRequest request = events.request(event);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/alerts/01JD8ZK4Q6M3N7P2R5S9T1V0WX/decision");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body()).path("decision").asText()).isEqualTo("approve");
        assertThat(request.claims()).containsEntry("username", "ana");
        assertThat(request.wantsJson()).isTrue();
    }

    @Test
    void theStreamEntryPoint_bindsAsLambdasSerializerDoes() throws IOException {
        for (String file : List.of("http-api-get-queue-jwt.json", "http-api-post-decision-jwt.json")) {
            APIGatewayV2HTTPEvent bound = events.event(event(file, Map.of()));
            APIGatewayV2HTTPEvent loaded = EventLoader.loadApiGatewayHttpEvent("events/" + file);
            assertThat(bound).as(file).usingRecursiveComparison().isEqualTo(loaded);
            assertThat(events.decode(event(file, Map.of()))).as(file).isEqualTo(events.request(loaded));
        }
    }

    @Test
    void aClaimGivenAsAJsonArray_isJoinedAsTheAuthorizerJoinsArrays() throws IOException {
        JsonNode event = JSON.readTree(event("http-api-get-queue-jwt.json", Map.of()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.at("/requestContext/authorizer/jwt/claims"))
                .putArray("cognito:groups").add("admin").add("ops-lead");

        assertThat(events.decode(JSON.writeValueAsBytes(event)).claims()).containsEntry("cognito:groups",
                "[admin ops-lead]");
    }

    @Test
    void anEventThatDoesNotBind_isRefusedNamingTheField() {
        assertThatThrownBy(() -> events.decode(("{\"version\":\"2.0\",\"rawPath\":\"/alerts\",\"headers\":[1],"
                + "\"requestContext\":{\"http\":{\"method\":\"GET\"}}}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("'headers' must be an object");
        assertThatThrownBy(() -> events.decode(("{\"version\":\"2.0\",\"rawPath\":\"/alerts\",\"requestContext\":"
                + "{\"http\":{\"method\":{}}}}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("'requestContext.http.method'");
    }

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
        assertThat(out.has("cookies")).as("nulls left out").isFalse();
        assertThat(events.response(response).getStatusCode()).isEqualTo(409);
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
