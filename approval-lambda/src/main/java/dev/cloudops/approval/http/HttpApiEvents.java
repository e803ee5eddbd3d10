package dev.cloudops.approval.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Decodes API Gateway HTTP API (payload format 2.0) events into requests and encodes responses for it. */
public final class HttpApiEvents {

    /** The largest body accepted; a decision form is a few hundred bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper json;

    public HttpApiEvents(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The request an event carries.
     *
     * @throws MalformedRequestException when the event is not an HTTP API 2.0 request or its body is unreadable
     */
    public HttpRequest decode(byte[] event) {
        JsonNode root;
        try {
            root = json.readTree(event);
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException("the event is not JSON");
        } catch (java.io.IOException e) {
            throw new MalformedRequestException("the event could not be read");
        }
        if (root == null || !root.isObject() || !"2.0".equals(root.path("version").asText())) {
            throw new MalformedRequestException("not an API Gateway HTTP API payload 2.0 event");
        }
        JsonNode http = root.path("requestContext").path("http");
        String method = http.path("method").asText("");
        String path = root.path("rawPath").asText(http.path("path").asText(""));
        if (method.isEmpty() || !path.startsWith("/")) {
            throw new MalformedRequestException("the event has no HTTP method or path");
        }
        String stage = root.path("requestContext").path("stage").asText("$default");
        if (!stage.equals("$default") && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        Map<String, String> headers = new HashMap<>();
        root.path("headers").properties().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT),
                e.getValue().asText()));
        Map<String, String> claims = new HashMap<>();
        root.path("requestContext").path("authorizer").path("jwt").path("claims").properties()
                .forEach(e -> claims.put(e.getKey(), e.getValue().isArray() ? arrayClaim(e.getValue())
                        : e.getValue().asText()));
        return new HttpRequest(method, path, Forms.parse(root.path("rawQueryString").asText(""), "query"), headers,
                body(root), http.path("sourceIp").asText(null), http.path("userAgent").asText(null), claims);
    }

    /** The response event API Gateway expects. */
    public byte[] encode(HttpResponse response) {
        ObjectNode out = json.createObjectNode();
        out.put("statusCode", response.status());
        ObjectNode headers = out.putObject("headers");
        response.headers().forEach(headers::put);
        out.put("body", response.body());
        out.put("isBase64Encoded", false);
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response always serialises", e);
        }
    }

    private static String body(JsonNode root) {
        JsonNode body = root.path("body");
        if (body.isMissingNode() || body.isNull()) {
            return "";
        }
        String text = body.asText();
        if (root.path("isBase64Encoded").asBoolean(false)) {
            try {
                byte[] bytes = Base64.getDecoder().decode(text);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw new MalformedRequestException("the body is larger than " + MAX_BODY_BYTES + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException("the body is marked base64 but is not");
            }
        }
        if (text.length() > MAX_BODY_BYTES) {
            throw new MalformedRequestException("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return text;
    }

    /** The JWT authorizer passes arrays as "[a b]"; a JSON array is joined the same way. */
    private static String arrayClaim(JsonNode array) {
        StringBuilder b = new StringBuilder("[");
        array.forEach(v -> b.append(b.length() > 1 ? " " : "").append(v.asText()));
        return b.append(']').toString();
    }
}
