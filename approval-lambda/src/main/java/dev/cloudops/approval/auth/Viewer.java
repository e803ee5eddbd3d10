package dev.cloudops.approval.auth;

import dev.cloudops.approval.Identity;
import java.util.Optional;

/**
 * Someone allowed to see an alert: a signed-in person (verified name and groups), or a holder of the
 * review link, who names themself on the page. {@code binding} is what CSRF tokens are tied to: the
 * signed-in subject, or the review token itself. {@code reviewToken} is the link's token, carried along
 * to the form and the links of the page (absent for signed-in people).
 */
public record Viewer(Optional<Identity> signedIn, String binding, Optional<String> reviewToken) {

    /** The identity deciding: the signed-in person, or the typed name of a link holder (unverified, no groups). */
    public Identity identity(String typedName, String sourceIp, String userAgent) {
        return signedIn.map(i -> new Identity(i.name(), i.subject(), true, i.groups(), sourceIp, userAgent))
                .orElseGet(() -> Identity.named(typedName, sourceIp, userAgent));
    }

    public boolean isSignedIn() {
        return signedIn.isPresent();
    }
}
