package io.berth.storage;

/**
 * The outcome of {@link UploadStaging#append}: the staging just before the new bytes went in, and
 * just after. A running hash that was bound to {@code before} and fed exactly the appended bytes is
 * bound to {@code after}.
 */
public record Appended(StagedBytes before, StagedBytes after) {
}
