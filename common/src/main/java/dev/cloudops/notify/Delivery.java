package dev.cloudops.notify;

/** How sending one notification on one channel ended. */
public sealed interface Delivery {

    String channel();

    record Delivered(String channel, int attempts) implements Delivery {
    }

    record Failed(String channel, int attempts, String reason) implements Delivery {
    }
}
