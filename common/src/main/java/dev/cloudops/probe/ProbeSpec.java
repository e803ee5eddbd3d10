package dev.cloudops.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to check for one URL: the statuses that count as up, an optional body pattern, the latency
 * above which it is slow, how many days before certificate expiry to warn, and the redirect policy.
 */
public record ProbeSpec(
        URI url,
        Set<Integer> expectedStatuses,
        Pattern bodyPattern,
        Duration latencyThreshold,
        int certWarningDays,
        boolean followRedirects) {

    /** Redirects followed at most, when following is on. */
    public static final int MAX_REDIRECTS = 5;

    public ProbeSpec {
        Objects.requireNonNull(url, "url");
        expectedStatuses = Set.copyOf(expectedStatuses);
        Objects.requireNonNull(latencyThreshold, "latencyThreshold");
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
        }
    }

    public boolean tls() {
        return url.getScheme().equals("https");
    }

    public int port() {
        return url.getPort() != -1 ? url.getPort() : tls() ? 443 : 80;
    }

    /** A spec with the defaults of a target that sets nothing but its URL. */
    public static ProbeSpec of(URI url) {
        return new ProbeSpec(url, Set.of(200, 201, 202, 203, 204, 205, 206), null, Duration.ofSeconds(3), 14, true);
    }
}
