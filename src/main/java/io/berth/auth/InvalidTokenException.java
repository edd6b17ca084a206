package io.berth.auth;

/** A bearer token that cannot be trusted: malformed, unsigned, badly signed, expired, or not for us. */
public final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
