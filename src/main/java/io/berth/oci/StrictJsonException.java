package io.berth.oci;

/**
 * JSON that {@link StrictJsonReader} refuses: malformed, over a limit of {@link Limits}, or a form that
 * Go clients would read differently. The message says which, for the client.
 */
public final class StrictJsonException extends RuntimeException {
    public StrictJsonException(String message) {
        super(message);
    }
}
