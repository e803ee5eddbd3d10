package dev.cloudops.review;

import java.net.URI;
import java.time.Duration;

/** The links people get: the review page and the report behind it, each carrying a signed, expiring token. */
public final class ReviewLinks {

    private final URI base;
    private final ReviewToken tokens;
    private final Duration validFor;

    public ReviewLinks(URI base, ReviewToken tokens, Duration validFor) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.tokens = tokens;
        this.validFor = validFor;
    }

    /** {@code <base>/alerts/{id}?t=TOKEN}. */
    public URI review(String alertId) {
        return URI.create(base + "/alerts/" + alertId + "?t=" + tokens.issue(alertId, ReviewToken.REVIEW, validFor));
    }

    /** {@code <base>/alerts/{id}/log?t=TOKEN}, which redirects to a short-lived presigned URL of the execution log. */
    public URI log(String alertId) {
        return URI.create(base + "/alerts/" + alertId + "/log?t=" + tokens.issue(alertId, ReviewToken.REVIEW, validFor));
    }

    /** {@code <base>/alerts/{id}/report?t=TOKEN}, which redirects to a short-lived presigned URL of the report. */
    public URI report(String alertId) {
        return URI.create(base + "/alerts/" + alertId + "/report?t="
                + tokens.issue(alertId, ReviewToken.REVIEW, validFor));
    }
}
