package dev.cloudops;

/** The one unchecked root of every failure this project raises on purpose. */
public class CloudopsException extends RuntimeException {

    public CloudopsException(String message) {
        super(message);
    }

    public CloudopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
