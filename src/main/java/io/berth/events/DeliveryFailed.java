package io.berth.events;

/** An event was not acknowledged by a destination; the message names the cause, never a secret. */
public final class DeliveryFailed extends RuntimeException {
    public DeliveryFailed(String message) {
        super(message);
    }

    public DeliveryFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
