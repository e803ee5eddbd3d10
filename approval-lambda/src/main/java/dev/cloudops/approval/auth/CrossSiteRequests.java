package dev.cloudops.approval.auth;

import dev.cloudops.approval.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses a state-changing request a browser sent from another site, even with valid review and CSRF tokens (a
 * page elsewhere that got hold of both, or frames ours): the request's {@code Origin} must be the portal's own, the
 * host the request was sent to or one of the configured review addresses. The portal's pages send no referrer
 * ({@code Referrer-Policy: no-referrer}), so a browser posting one of its forms sends {@code Origin: null} with
 * {@code Sec-Fetch-Site: same-origin}; {@code Origin: null} is accepted only with that. Without any of these
 * headers the caller is not a browser (a script using its own tokens) and there is no other site to refuse.
 */
public final class CrossSiteRequests {

    private final Set<String> ownAuthorities;

    /** {@code ownAddresses}: the portal's public addresses besides the request's own host (a custom domain). */
    public CrossSiteRequests(Set<URI> ownAddresses) {
        this.ownAuthorities = ownAddresses.stream().map(CrossSiteRequests::authority).flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Why {@code request} is refused as cross-site, or empty when it comes from the portal's own pages (or no browser). */
    public Optional<String> problem(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        Optional<String> origin = request.header("origin").map(String::strip);
        Optional<String> fetchSite = request.header("sec-fetch-site").map(s -> s.strip().toLowerCase(Locale.ROOT));
        if (origin.isPresent() && !origin.get().equals("null")) {
            Optional<String> authority = parse(origin.get()).flatMap(CrossSiteRequests::authority);
            if (authority.isEmpty() || !own(authority.get(), request)) {
                return Optional.of("cross-site request refused: Origin " + shown(origin.get())
                        + " is not this portal");
            }
            return Optional.empty();
        }
        if (fetchSite.isPresent()) {
            return fetchSite.get().equals("same-origin") ? Optional.empty()
                    : Optional.of("cross-site request refused: Sec-Fetch-Site is " + shown(fetchSite.get()));
        }
        if (origin.isPresent()) {
            return Optional.of("cross-site request refused: Origin null without Sec-Fetch-Site: same-origin");
        }
        Optional<String> referer = request.header("referer").map(String::strip);
        if (referer.isPresent()) {
            Optional<String> authority = parse(referer.get()).flatMap(CrossSiteRequests::authority);
            if (authority.isEmpty() || !own(authority.get(), request)) {
                return Optional.of("cross-site request refused: Referer " + shown(referer.get())
                        + " is not this portal");
            }
        }
        return Optional.empty();
    }

    private boolean own(String authority, HttpRequest request) {
        if (ownAuthorities.contains(authority)) {
            return true;
        }
        return request.header("host").flatMap(h -> parse("https://" + h.strip())).flatMap(CrossSiteRequests::authority)
                .map(host -> host.equals(authority))
                .orElse(false);
    }

    private static Optional<URI> parse(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Host and port, lower case, without the scheme's default port; empty for anything but http(s) with a host. */
    private static Optional<String> authority(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.empty();
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
                || (scheme.equals("http") && port == 80);
        return Optional.of(uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }

    /** A header value as the refusal quotes it: at most 100 printable characters. */
    private static String shown(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
