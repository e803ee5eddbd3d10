package dev.cloudops.approval.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the approval routes see it, whatever carried it (API Gateway HTTP API, or the
 * local portal): method, path without any stage prefix, single-valued query parameters, headers with
 * lower-case names, the decoded body, the caller's address and agent, and the JWT claims the API's
 * authorizer verified (empty when there is no authorizer).
 */
public record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
        String body, String sourceIp, String userAgent, Map<String, String> claims) {

    public HttpRequest {
        method = method.toUpperCase(Locale.ROOT);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
        sourceIp = sourceIp == null ? "unknown" : sourceIp;
        userAgent = userAgent == null ? "unknown" : userAgent;
        claims = Map.copyOf(claims);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The media type of the body without parameters, lower case; empty when there is none. */
    public String contentType() {
        String type = header("content-type").orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** True when the caller asked for JSON (a JSON body, or JSON preferred over HTML in Accept). */
    public boolean wantsJson() {
        String accept = header("accept").orElse("");
        return contentType().equals("application/json")
                || (accept.contains("application/json") && !accept.contains("text/html"));
    }
}
