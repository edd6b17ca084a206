package io.berth.metadata;

/** The metadata database failed (not the client's fault). */
public final class MetadataException extends RuntimeException {
    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
