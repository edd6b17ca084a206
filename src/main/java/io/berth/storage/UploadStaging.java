package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Holds the bytes of unfinished uploads and turns a verified upload into a committed blob. The
 * caller (the registry layer) verifies digests; this interface only moves bytes.
 */
public interface UploadStaging {

    /** Creates empty staging for a new session. */
    void create(UploadId id) throws IOException;

    /**
     * Appends all of {@code data} at {@code offset}, which must equal what was staged so far
     * (bytes beyond {@code offset} left by an interrupted append are discarded first). Either all
     * bytes are appended or, when reading {@code data} fails, the staging is left at {@code offset}
     * and the exception propagates.
     *
     * @return the staged size afterwards
     */
    long append(UploadId id, long offset, InputStream data) throws IOException;

    /**
     * The most heap one {@link #append} in flight holds (its copy buffer): what a caller budgets
     * for each append it lets run at once.
     */
    int appendBufferBytes();

    /** Opens the staged bytes from the start, to re-hash them. */
    InputStream openStaged(UploadId id) throws IOException;

    /**
     * Makes the staged bytes durable and visible as blob {@code digest}, atomically. When the store
     * already holds that blob the staged bytes are simply discarded. The staging is gone afterwards.
     */
    void commit(UploadId id, Digest digest) throws IOException;

    /** Removes the staging of a cancelled or failed session; a no-op when there is none. */
    void discard(UploadId id) throws IOException;

    /**
     * Every upload that has staging here, whether or not its session is still recorded: the
     * metadata decides which are orphans.
     */
    List<UploadId> stagedUploads() throws IOException;
}
