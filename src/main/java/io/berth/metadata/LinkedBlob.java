package io.berth.metadata;

import java.util.OptionalLong;

/**
 * A blob linked into a repository.
 *
 * @param size             its size in bytes
 * @param mirrorGeneration the mirror generation that exported it; empty while no export has
 */
public record LinkedBlob(long size, OptionalLong mirrorGeneration) {
}
