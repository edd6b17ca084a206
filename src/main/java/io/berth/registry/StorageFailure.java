package io.berth.registry;

/** The blob store failed (not the client's fault); the HTTP layer answers 500. */
public final class StorageFailure extends RuntimeException {
    public StorageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
