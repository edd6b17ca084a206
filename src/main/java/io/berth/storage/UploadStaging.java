package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Holds the bytes of unfinished uploads and turns a verified upload into a committed blob. The
 * caller (the registry layer) verifies digests and serialises calls for one upload within a process;
 * implementations also keep calls for one upload from several processes from interleaving their
 * writes, or detect that they did ({@link StagingConflict}).
 *
 * <p>Staging only grows: bytes once staged are never overwritten or truncated, so whatever was
 * hashed up to a {@link StagedBytes#version()} stays valid while that version is staged.
 */
public interface UploadStaging {

    /** Creates empty staging for a new session. */
    void create(UploadId id) throws IOException;

    /** What is staged for {@code id} now, or empty when it has no staging. */
    Optional<StagedBytes> staged(UploadId id) throws IOException;

    /**
     * Appends all of {@code data} at {@code offset}, which must be exactly the staged size.
     * When reading {@code data} fails, the bytes this call wrote are removed again, the staging is
     * as before, and the exception propagates.
     *
     * @throws StagingConflict when {@code offset} is not the staged size; nothing is written
     * @throws StagingLost     when the upload has no staging
     */
    Appended append(UploadId id, long offset, InputStream data) throws IOException;

    /**
     * The most heap one {@link #append} in flight holds (its copy buffer): what a caller budgets
     * for each append it lets run at once.
     */
    int appendBufferBytes();

    /**
     * Opens the staged bytes from the start, to re-hash them.
     *
     * @throws StagingLost when the upload has no staging
     */
    InputStream openStaged(UploadId id) throws IOException;

    /**
     * Makes exactly the staged bytes {@code expected} durable and visible as blob {@code digest},
     * atomically, replacing whatever the store held under that digest: the caller has verified
     * these bytes, and nothing already stored is trusted without that. The staging is gone
     * afterwards.
     *
     * @throws StagingConflict when the staged bytes are no longer {@code expected}; nothing changes
     * @throws StagingLost     when the upload has no staging
     */
    void commit(UploadId id, StagedBytes expected, Digest digest) throws IOException;

    /** Removes the staging of a cancelled or failed session; a no-op when there is none. */
    void discard(UploadId id) throws IOException;

    /**
     * Every upload that has staging here, whether or not its session is still recorded: the
     * metadata decides which are orphans.
     */
    List<UploadId> stagedUploads() throws IOException;
}
