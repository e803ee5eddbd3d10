package dev.cloudops.alert;

import java.util.Objects;

/**
 * Who caused an event: a person (verified by the identity provider, or only named on the review page)
 * or one of our functions. Source IP and user agent are null for functions.
 */
public record Actor(String name, boolean verified, String sourceIp, String userAgent) {

    public Actor {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name");
        }
    }

    /** One of our own functions, e.g. {@code Actor.system("monitor")}; verified by definition. */
    public static Actor system(String function) {
        return new Actor(function, true, null, null);
    }
}
