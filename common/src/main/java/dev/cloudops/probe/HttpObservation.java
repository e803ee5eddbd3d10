package dev.cloudops.probe;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the HTTP layer saw: the final status, how long the response took, the headers that tell a
 * CloudFront edge from an origin, and any redirects followed.
 */
public record HttpObservation(int status, Duration latency, Map<String, String> headers, URI finalUrl,
        List<URI> redirects) {

    public HttpObservation {
        headers = Map.copyOf(headers);
        redirects = List.copyOf(redirects);
    }
}
