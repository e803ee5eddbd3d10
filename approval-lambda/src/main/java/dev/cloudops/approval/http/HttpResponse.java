package dev.cloudops.approval.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response: status, headers and a text body. */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    /** The headers every response carries: nothing cached, nothing framed, no referrer leaked, no sniffing. */
    public static Map<String, String> baseHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Cache-Control", "no-store");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Content-Type-Options", "nosniff");
        return h;
    }

    public HttpResponse with(String header, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(header, value);
        return new HttpResponse(status, h, body);
    }
}
