package io.berth.storage;

import java.io.IOException;

/**
 * An upload has no staging (any more): it was committed, discarded, or removed behind the store's
 * back. Staging is never re-created for an existing session, so such a session cannot continue.
 */
public final class StagingLost extends IOException {
    public StagingLost(UploadId id) {
        super("upload " + id.value() + " has no staged bytes");
    }
}
