package io.berth.storage;

import java.io.IOException;

/**
 * An upload's staging is not what the caller expected: an append named an offset that is not the
 * staged size, or a commit named a version that is no longer staged. Nothing was changed.
 */
public final class StagingConflict extends IOException {
    private final long stagedSize;

    public StagingConflict(String message, long stagedSize) {
        super(message);
        this.stagedSize = stagedSize;
    }

    /** The size actually staged when the conflict was found. */
    public long stagedSize() {
        return stagedSize;
    }
}
