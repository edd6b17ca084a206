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

    @Override
    void close();
}
