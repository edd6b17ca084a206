package io.berth.registry;

import io.berth.oci.Digest;
import java.util.OptionalLong;

/**
 * A verified blob as a repository sees it.
 *
 * @param mirrorGeneration the mirror generation that exported the blob to the mirror tree; empty
 *                         while no export has, and whenever the caller did not need to know
 */
public record BlobInfo(Digest digest, long size, OptionalLong mirrorGeneration) {

    public BlobInfo(Digest digest, long size) {
        this(digest, size, OptionalLong.empty());
    }
}
