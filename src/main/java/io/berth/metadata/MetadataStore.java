package io.berth.metadata;

import java.util.function.Function;

/**
 * The registry's metadata database. Reads run with {@link #read}; every change that must be
 * atomic runs inside {@link #inTransaction}, which commits when the function returns and rolls
 * back when it throws.
 */
public interface MetadataStore extends AutoCloseable {

    <T> T read(Function<MetadataSession, T> work);

    <T> T inTransaction(Function<MetadataSession, T> work);

    /**
     * Like {@link #inTransaction}, for bookkeeping that a crash of the machine (not only of Berth) may
     * lose without harm, such as an upload session's progress: the commit returns without waiting for
     * the disk. Commits reach the disk in order, so such a change is never lost while a synced commit
     * made after it survives, and a crash of Berth alone loses nothing.
     */
    default <T> T inUnsyncedTransaction(Function<MetadataSession, T> work) {
        return inTransaction(work);
    }

    @Override
    void close();
}
