package io.berth.metadata;

import java.util.OptionalLong;

/**
 * A blob linked into a repository.
 *
 * @param size             its size in bytes
 * @param mirrorGeneration the mirror generation that exported it; empty while no export has
 * @param repositoryId     the linking repository's id
 * @param linkedAt         when the link was last made or confirmed (garbage collection's grace counts from it)
 */
public record LinkedBlob(long size, OptionalLong mirrorGeneration, long repositoryId, java.time.Instant linkedAt) {
}
