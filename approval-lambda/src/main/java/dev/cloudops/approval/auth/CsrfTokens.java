package dev.cloudops.approval.auth;

import dev.cloudops.review.ReviewToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * Tokens embedded in the review form so that only a page we served can post a decision: signed, expiring,
 * and bound to the alert and to the viewer's binding (the review token or the signed-in subject), so a
 * token lifted from one person's page is useless to another and for another alert.
 */
public final class CsrfTokens {

    private final ReviewToken tokens;
    private final Duration validFor;

    public CsrfTokens(ReviewToken tokens, Duration validFor) {
        this.tokens = tokens;
        this.validFor = validFor;
    }

    public String issue(String alertId, Viewer viewer) {
        return tokens.issue(alertId, purpose(viewer), validFor);
    }

    /** Why the token does not fit this alert and viewer, or null when it does. */
    public String problem(String token, String alertId, Viewer viewer) {
        if (token == null || token.isEmpty()) {
            return "the form's CSRF token is missing; reload the review page";
        }
        return switch (tokens.verify(token, alertId, purpose(viewer))) {
            case ReviewToken.Check.Valid v -> null;
            case ReviewToken.Check.Invalid i -> "the form's CSRF token is not valid (" + i.reason()
                    + "); reload the review page";
        };
    }

    /** "csrf-" and a digest of the binding: a purpose only this viewer's tokens carry. */
    private static String purpose(Viewer viewer) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(viewer.binding().getBytes(StandardCharsets.UTF_8));
            return "csrf-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
