package io.berth.storage;

import java.util.Objects;

/**
 * What an upload has staged: its size, and a version that names exactly those bytes. Any change to
 * the staged bytes gives a different version, so a running hash recorded with a version is known
 * to cover the staged bytes only while the version is unchanged.
 *
 * @param size    bytes staged
 * @param version store-defined; equal versions mean identical staged bytes
 */
public record StagedBytes(long size, String version) {
    public StagedBytes {
        if (size < 0) {
            throw new IllegalArgumentException("a staged size cannot be negative: " + size);
        }
        Objects.requireNonNull(version, "version");
    }
}
