package io.berth.metadata;

/**
 * One entry of the garbage-collection review queue: only a hint that something may have become
 * unreferenced; the review re-checks it.
 *
 * @param kind         what is to be reviewed
 * @param repositoryId the repository (0 for {@link ReviewKind#BLOB})
 * @param digest       the blob or manifest ("" for {@link ReviewKind#REPOSITORY})
 */
public record GcReview(ReviewKind kind, long repositoryId, String digest) {
}
