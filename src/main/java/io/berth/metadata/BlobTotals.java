package io.berth.metadata;

/** How many blobs, and how many bytes, a set of recorded blobs holds. */
public record BlobTotals(long blobs, long bytes) {
}
