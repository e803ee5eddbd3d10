package dev.cloudops.approval.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.json.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway HTTP API (payload format 2.0) events, as aws-lambda-java-events models them
 * ({@link APIGatewayV2HTTPEvent}, {@link APIGatewayV2HTTPResponse}), to and from the portal's requests and
 * responses; the JSON is bound by common's {@link EventJson}.
 */
public final class HttpApiEvents {

    /** The largest body accepted; a decision form is a few hundred bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final EventJson json;

    public HttpApiEvents(EventJson json) {
        this.json = json;
    }

    /**
     * The event Lambda passed, bound into its type.
     *
     * @throws MalformedRequestException when it is not JSON, not a payload 2.0 event, or does not bind
     */
    public APIGatewayV2HTTPEvent event(byte[] event) {
        try {
            return event(json.tree(event));
        } catch (EventJson.UnreadableEventException e) {
            throw malformed(e);
        }
    }

    /**
     * As {@link #event(byte[])}, from the event's JSON tree (the stream entry point reads it first to tell a
     * task event from an HTTP one).
     *
     * @throws MalformedRequestException when it is not a payload 2.0 event, or does not bind
     */
    public APIGatewayV2HTTPEvent event(JsonNode root) {
        try {
            if (!"2.0".equals(root.path("version").asText())) {
                throw new MalformedRequestException("not an API Gateway HTTP API payload 2.0 event");
            }
            return json.read(root, APIGatewayV2HTTPEvent.class);
        } catch (EventJson.UnreadableEventException e) {
            throw malformed(e);
        }
    }

    private static MalformedRequestException malformed(EventJson.UnreadableEventException e) {
        String m = e.getMessage();
        return new MalformedRequestException(m.startsWith("the event is not JSON") ? "the event is not JSON"
                : m.startsWith("the event must be a JSON object") ? "not an API Gateway HTTP API payload 2.0 event"
                : m);
    }

    /**
     * The request an event carries: method, path without a named stage, single-valued query, headers in lower
     * case, the decoded body, the caller, and the claims the JWT authorizer verified.
     *
     * @throws MalformedRequestException when the event has no method or path, or its body is unreadable
     */
    public HttpRequest request(APIGatewayV2HTTPEvent event) {
        if (event.getVersion() != null && !"2.0".equals(event.getVersion())) {
            throw new MalformedRequestException("not an API Gateway HTTP API payload 2.0 event");
        }
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String method = http == null || http.getMethod() == null ? "" : http.getMethod();
        String path = event.getRawPath() != null ? event.getRawPath() : http == null || http.getPath() == null ? ""
                : http.getPath();
        if (method.isEmpty() || !path.startsWith("/")) {
            throw new MalformedRequestException("the event has no HTTP method or path");
        }
        String stage = context.getStage() == null ? "$default" : context.getStage();
        if (!stage.equals("$default") && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v == null ? "" : v));
        }
        Map<String, String> claims = new HashMap<>();
        if (context.getAuthorizer() != null && context.getAuthorizer().getJwt() != null
                && context.getAuthorizer().getJwt().getClaims() != null) {
            context.getAuthorizer().getJwt().getClaims().forEach((k, v) -> claims.put(k, v == null ? "" : v));
        }
        return new HttpRequest(method, path, Forms.parse(event.getRawQueryString() == null ? ""
                : event.getRawQueryString(), "query"), headers, body(event), http.getSourceIp(), http.getUserAgent(),
                claims);
    }

    /** The request in the JSON Lambda passed (the stream entry point). */
    public HttpRequest decode(byte[] event) {
        return request(event(event));
    }

    /** The response event API Gateway expects: status, headers, a text body. */
    public APIGatewayV2HTTPResponse response(HttpResponse response) {
        APIGatewayV2HTTPResponse out = new APIGatewayV2HTTPResponse();
        out.setStatusCode(response.status());
        out.setHeaders(Map.copyOf(response.headers()));
        out.setBody(response.body());
        out.setIsBase64Encoded(false);
        return out;
    }

    /** The response as the JSON the stream entry point writes. */
    public byte[] encode(HttpResponse response) {
        return json.write(response(response));
    }

    /** The JSON of a response event. */
    public byte[] encode(APIGatewayV2HTTPResponse response) {
        return json.write(response);
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String text = event.getBody();
        if (text == null) {
            return "";
        }
        if (event.getIsBase64Encoded()) {
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
}
