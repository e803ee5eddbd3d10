package dev.cloudops.approval.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.review.ReviewToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T05:00:00Z"), ZoneOffset.UTC);
    private final ReviewToken tokens = new ReviewToken("k".repeat(32).getBytes(StandardCharsets.UTF_8), CLOCK);

    @Test
    void groups_readsTheAuthorizerForm_andPlainLists() {
        assertThat(Authenticator.groups("[admin ops-lead]")).containsExactly("admin", "ops-lead");
        assertThat(Authenticator.groups("admin,engineer")).containsExactly("admin", "engineer");
        assertThat(Authenticator.groups("[\"admin\",\"engineer\"]")).containsExactly("admin", "engineer");
        assertThat(Authenticator.groups("[]")).isEmpty();
        assertThat(Authenticator.groups(null)).isEmpty();
    }

    @Test
    void cognitoMode_grantsVerifiedIdentitiesFromClaims_andRefusesRequestsWithout() {
        Authenticator auth = new Authenticator(AuthMode.COGNITO, tokens);
        HttpRequest signedIn = request(Map.of("sub", "s-1", "username", "ana", "cognito:groups", "[admin]",
                "token_use", "access", "scope", "openid email cloudops/review"));

        Access granted = auth.forAlert(signedIn, "01JA", Optional.empty());
        Access denied = auth.forAlert(request(Map.of()), "01JA", Optional.of(tokens.issue("01JA", ReviewToken.REVIEW,
                Duration.ofHours(1))));

        assertThat(granted).isInstanceOfSatisfying(Access.Granted.class, g -> {
            assertThat(g.viewer().signedIn()).hasValueSatisfying(i -> {
                assertThat(i.name()).isEqualTo("ana");
                assertThat(i.subject()).isEqualTo("sub:s-1");
                assertThat(i.verified()).isTrue();
                assertThat(i.groups()).containsExactly("admin");
            });
            assertThat(g.viewer().binding()).isEqualTo("sub:s-1");
        });
        assertThat(denied).isEqualTo(new Access.Denied(401, "sign in to review alerts"));
        assertThat(auth.forQueue(signedIn)).isInstanceOf(Access.Granted.class);
    }

    @Test
    void cognitoMode_takesOnlyThePortalsAccessTokens_andRefusesIdTokensAndOtherScopes() {
        Authenticator auth = new Authenticator(AuthMode.COGNITO, tokens);
        HttpRequest signInToken = request(Map.of("sub", "s-1", "username", "ana", "cognito:groups", "[admin]",
                "token_use", "access", "scope", "aws.cognito.signin.user.admin", "client_id", "4lq2h7t1"));
        HttpRequest idToken = request(Map.of("sub", "s-1", "email", "ana@example.com", "cognito:groups", "[admin]",
                "token_use", "id", "aud", "4lq2h7t1"));
        HttpRequest unlabelled = request(Map.of("sub", "s-1", "username", "ana", "scope", "cloudops/review"));

        assertThat(auth.forAlert(signInToken, "01JA", Optional.empty())).isEqualTo(new Access.Denied(401,
                "sign in again through the review portal: this API takes its access token (scope cloudops/review), "
                        + "not an access token without that scope"));
        assertThat(auth.forAlert(idToken, "01JA", Optional.empty())).isEqualTo(new Access.Denied(401,
                "sign in again through the review portal: this API takes its access token (scope cloudops/review), "
                        + "not an ID token"));
        assertThat(auth.forQueue(unlabelled)).isEqualTo(new Access.Denied(401,
                "sign in again through the review portal: this API takes its access token (scope cloudops/review), "
                        + "not this kind of token"));
    }

    @Test
    void linkMode_needsAValidTokenForThatAlert_andNeverTrustsClaims() {
        Authenticator auth = new Authenticator(AuthMode.LINK, tokens);
        String token = tokens.issue("01JA", ReviewToken.REVIEW, Duration.ofHours(1));
        HttpRequest withClaims = request(Map.of("sub", "s-1", "email", "ana@example.com"));

        assertThat(auth.forAlert(withClaims, "01JA", Optional.of(token))).isInstanceOfSatisfying(Access.Granted.class,
                g -> assertThat(g.viewer().isSignedIn()).isFalse());
        assertThat(auth.forAlert(withClaims, "01JB", Optional.of(token))).isEqualTo(
                new Access.Denied(401, "the review link is not valid: token is for another alert"));
        assertThat(auth.forAlert(withClaims, "01JA", Optional.empty())).isInstanceOf(Access.Denied.class);
        assertThat(auth.forQueue(withClaims)).isInstanceOf(Access.Denied.class);
    }

    @Test
    void csrfTokens_areBoundToTheAlertAndTheViewer() {
        CsrfTokens csrf = new CsrfTokens(tokens, Duration.ofHours(2));
        Viewer ana = new Viewer(Optional.empty(), "link:token-a", Optional.of("token-a"));
        Viewer bob = new Viewer(Optional.empty(), "link:token-b", Optional.of("token-b"));
        String issued = csrf.issue("01JA", ana);

        assertThat(csrf.problem(issued, "01JA", ana)).isNull();
        assertThat(csrf.problem(issued, "01JA", bob)).contains("another purpose");
        assertThat(csrf.problem(issued, "01JB", ana)).contains("another alert");
        assertThat(csrf.problem(null, "01JA", ana)).contains("missing");
        CsrfTokens later = new CsrfTokens(new ReviewToken("k".repeat(32).getBytes(StandardCharsets.UTF_8),
                Clock.offset(CLOCK, Duration.ofHours(3))), Duration.ofHours(2));
        assertThat(later.problem(issued, "01JA", ana)).contains("expired");
    }

    private static HttpRequest request(Map<String, String> claims) {
        return new HttpRequest("GET", "/alerts/01JA", Map.of(), Map.of(), "", "198.51.100.1", "test", claims);
    }
}
