package io.berth.metadata;

import java.time.Instant;

/** One repository's link to a blob, and when it was last made or confirmed. */
public record BlobLink(long repositoryId, Instant linkedAt) {
}
