package dev.cloudops.approval.auth;

import dev.cloudops.approval.Identity;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.review.ReviewToken;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells who is asking (DESIGN.md section 7). In Cognito mode the API's JWT authorizer has verified the
 * token already, and every route requires the scope {@code cloudops/review}, so only the review portal's
 * access tokens get here (ID tokens carry no scope); this checks the kind and the scope again, so that a
 * route configured without them still takes nothing else. The person is named by the token's
 * {@code username}, in the groups of {@code cognito:groups}, and told apart from others by {@code sub}
 * alone. In link mode the review token proves possession of the link for that one alert.
 */
public final class Authenticator {

    private static final int MAX_NAME = 254;
    /** The {@code token_use} of the tokens the API takes: Cognito's access token. */
    static final String TOKEN_USE = "access";
    /** The scope every route requires (template: ReviewResourceServer {@code cloudops}, scope {@code review}). */
    static final String REVIEW_SCOPE = "cloudops/review";

    private final AuthMode mode;
    private final ReviewToken tokens;

    public Authenticator(AuthMode mode, ReviewToken tokens) {
        this.mode = mode;
        this.tokens = tokens;
    }

    public AuthMode mode() {
        return mode;
    }

    /** May this request see (and try to decide) this alert? {@code token} is the review token it carries, if any. */
    public Access forAlert(HttpRequest request, String alertId, Optional<String> token) {
        if (mode == AuthMode.COGNITO) {
            return signedIn(request);
        }
        if (token.isEmpty() || token.get().isEmpty()) {
            return new Access.Denied(401, "this link has no review token; open the link from the notification");
        }
        return switch (tokens.verify(token.get(), alertId, ReviewToken.REVIEW)) {
            case ReviewToken.Check.Valid v -> new Access.Granted(new Viewer(Optional.empty(), "link:" + token.get(),
                    token));
            case ReviewToken.Check.Invalid i -> new Access.Denied(401, "the review link is not valid: " + i.reason());
        };
    }

    /** May this request see the review queue? Only signed-in people may. */
    public Access forQueue(HttpRequest request) {
        if (mode == AuthMode.LINK) {
            return new Access.Denied(401, "the review queue needs sign-in, which this deployment does not use; "
                    + "open an alert from its notification");
        }
        return signedIn(request);
    }

    private static Access signedIn(HttpRequest request) {
        Map<String, String> claims = request.claims();
        String tokenUse = claims.get("token_use");
        boolean reviewToken = TOKEN_USE.equals(tokenUse) && scopes(claims.get("scope")).contains(REVIEW_SCOPE);
        if (!claims.isEmpty() && !reviewToken) {
            return new Access.Denied(401, "sign in again through the review portal: this API takes its access "
                    + "token (scope " + REVIEW_SCOPE + "), not " + ("id".equals(tokenUse) ? "an ID token"
                    : TOKEN_USE.equals(tokenUse) ? "an access token without that scope" : "this kind of token"));
        }
        String subject = claims.get("sub");
        String name = Optional.ofNullable(claims.get("username"))
                .or(() -> Optional.ofNullable(claims.get("cognito:username"))).orElse(subject);
        if (subject == null || subject.isBlank() || name == null || name.isBlank() || name.length() > MAX_NAME) {
            return new Access.Denied(401, "sign in to review alerts");
        }
        Identity who = new Identity(name, "sub:" + subject, true, groups(claims.get("cognito:groups")),
                request.sourceIp(), request.userAgent());
        return new Access.Granted(new Viewer(Optional.of(who), "sub:" + subject, Optional.empty()));
    }

    /** The space-separated {@code scope} claim of an access token. */
    private static java.util.List<String> scopes(String claim) {
        return claim == null ? java.util.List.of() : java.util.List.of(claim.strip().split("\\s+"));
    }

    /** {@code cognito:groups} as the JWT authorizer passes it ("[admin ops-lead]") or as a plain list. */
    static Set<String> groups(String claim) {
        Set<String> groups = new LinkedHashSet<>();
        if (claim == null) {
            return groups;
        }
        String inner = claim.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        for (String g : inner.split("[\\s,]+")) {
            String name = g.replace("\"", "").strip();
            if (!name.isEmpty()) {
                groups.add(name);
            }
        }
        return groups;
    }
}
