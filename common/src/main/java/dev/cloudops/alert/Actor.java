package dev.cloudops.alert;

import java.util.Objects;

/**
 * Who caused an event: a person (verified by the identity provider, or only named on the review page)
 * or one of our functions. Source IP and user agent are null for functions.
 */
public record Actor(String name, boolean verified, String sourceIp, String userAgent) {

    /** The longest user agent kept: the header is the caller's to fill, and it is stored with every event. */
    public static final int MAX_USER_AGENT = 200;

    public Actor {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name");
        }
        userAgent = kept(userAgent);
    }

    /** The user agent cut to {@link #MAX_USER_AGENT} characters, never inside a surrogate pair. */
    static String kept(String userAgent) {
        if (userAgent == null || userAgent.length() <= MAX_USER_AGENT) {
            return userAgent;
        }
        int end = Character.isHighSurrogate(userAgent.charAt(MAX_USER_AGENT - 1)) ? MAX_USER_AGENT - 1
                : MAX_USER_AGENT;
        return userAgent.substring(0, end);
    }

    /** One of our own functions, e.g. {@code Actor.system("monitor")}; verified by definition. */
    public static Actor system(String function) {
        return new Actor(function, true, null, null);
    }
}
