package io.berth.metadata;

/** How many blobs a mirror generation holds, and their total size in bytes. */
public record GenerationTotals(long blobs, long bytes) {
}
