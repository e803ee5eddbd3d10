package dev.cloudops.approval.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.approval.http.HttpRequest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which decision requests count as sent from another site, header by header. */
class CrossSiteRequestsTest {

    private static final String HOST = "abc123def4.execute-api.eu-west-1.amazonaws.com";
    private final CrossSiteRequests check = new CrossSiteRequests(Set.of(URI.create("https://review.example.com/")));

    @Test
    void theApisOwnOrigin_orAConfiguredReviewAddress_isAccepted() {
        assertThat(check.problem(post(Map.of("origin", "https://" + HOST)))).isEmpty();
        assertThat(check.problem(post(Map.of("origin", "https://ABC123DEF4.execute-api.eu-west-1.amazonaws.com:443"))))
                .isEmpty();
        assertThat(check.problem(post(Map.of("origin", "https://review.example.com")))).isEmpty();
        assertThat(check.problem(request("127.0.0.1:8080", Map.of("origin", "http://127.0.0.1:8080")))).isEmpty();
    }

    @Test
    void anotherOrigin_isRefused_evenOnTheSameHostAtAnotherPortOrALookAlike() {
        assertThat(check.problem(post(Map.of("origin", "https://evil.example"))))
                .contains("cross-site request refused: Origin https://evil.example is not this portal");
        assertThat(check.problem(post(Map.of("origin", "https://" + HOST + ":8443")))).isPresent();
        assertThat(check.problem(post(Map.of("origin", "https://" + HOST + ".evil.example")))).isPresent();
        assertThat(check.problem(post(Map.of("origin", "file:///tmp/x.html")))).isPresent();
        assertThat(check.problem(post(Map.of("origin", "not a url")))).isPresent();
        assertThat(check.problem(request("127.0.0.1:8080", Map.of("origin", "http://127.0.0.1:9090")))).isPresent();
    }

    @Test
    void originNull_countsOnlyFromAPageOfOurOwn_asSecFetchSiteSays() {
        assertThat(check.problem(post(Map.of("origin", "null", "sec-fetch-site", "same-origin")))).isEmpty();
        assertThat(check.problem(post(Map.of("origin", "null", "sec-fetch-site", "cross-site"))))
                .contains("cross-site request refused: Sec-Fetch-Site is cross-site");
        assertThat(check.problem(post(Map.of("origin", "null", "sec-fetch-site", "same-site")))).isPresent();
        assertThat(check.problem(post(Map.of("origin", "null")))).isPresent();
        assertThat(check.problem(post(Map.of("sec-fetch-site", "none")))).isPresent();
    }

    @Test
    void withoutOriginOrFetchMetadata_theRefererDecides_andWithNothingTheCallerIsNoBrowser() {
        assertThat(check.problem(post(Map.of("referer", "https://evil.example/x?t=1"))))
                .contains("cross-site request refused: Referer https://evil.example/x?t=1 is not this portal");
        assertThat(check.problem(post(Map.of("referer", "https://" + HOST + "/alerts/01J")))).isEmpty();
        assertThat(check.problem(post(Map.of()))).isEqualTo(Optional.empty());
    }

    @Test
    void aRefusalQuotesTheHeaderShortAndPrintable() {
        String quoted = check.problem(post(Map.of("origin", "https://" + "e".repeat(300) + ".example\u0007")))
                .orElseThrow();
        assertThat(quoted).hasSizeLessThan(200).doesNotContain("\u0007");
    }

    private static HttpRequest post(Map<String, String> headers) {
        return request(HOST, headers);
    }

    private static HttpRequest request(String host, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("host", host);
        return new HttpRequest("POST", "/alerts/01J/decision", Map.of(), all, "", "203.0.113.9", "test", Map.of());
    }
}
