package io.berth.mirror;

import java.net.URI;

/** Checks cheaply that a download source answers at all; whether it holds a generation is the crawler's job. */
@FunctionalInterface
public interface SourceProber {

    /** Thrown when the source does not answer, answers too late, or answers with a server error. */
    final class SourceUnreachable extends Exception {
        public SourceUnreachable(String message) {
            super(message);
        }
    }

    /**
     * Returns when the tree at {@code base} answered within the probe timeout; throws otherwise.
     *
     * @param base the base URL of a mirror tree ({@link Mirror#baseUri()}, or the CDN's)
     */
    void check(URI base) throws SourceUnreachable, InterruptedException;
}
