package io.berth.metadata;

import io.berth.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What online garbage collection reads and changes. The {@code lock…} methods lock the row they read
 * until the transaction ends, so that the checks that follow and the removal they allow see one state
 * (on PostgreSQL {@code FOR UPDATE SKIP LOCKED}: a row a client's transaction holds reads as absent, so
 * garbage collection never waits for a client and never deadlocks with one; SQLite runs one writer at a
 * time). Every method that changes something must run inside {@link MetadataStore#inTransaction}.
 */
public interface GcQueries {

    // --- finding what may have become unreferenced -------------------------------------------

    /** Queues every link no manifest of its repository references, due {@code grace} after it was last linked. */
    int queueUnreferencedLinks(long graceMillis);

    /** Queues every blob record no repository links, due now. */
    int queueUnlinkedBlobs(Instant now);

    /** Queues every untagged manifest last pushed before {@code storedBefore}, due now. */
    int queueUntaggedManifests(Instant storedBefore, Instant now);

    /** Queues every repository with neither manifests nor links, due {@code grace} after it was created. */
    int queueEmptyRepositories(long graceMillis);

    /**
     * Takes up to {@code limit} of the changes the API noted (oldest first; rows another transaction
     * has taken are skipped) as reviews to queue, and removes them.
     */
    List<GcReview> takeChanges(int limit);

    /**
     * Notes, as the API's changes are noted, that {@code digest}'s record may be linked nowhere: the
     * next pass reviews it (appends only, so it never waits for a pass).
     */
    void noteUnlinkedBlob(Digest digest);

    /** When a pass last swept every table for what may be unreferenced; empty before the first sweep. */
    Optional<Instant> lastSweep();

    void recordSweep(Instant at);

    /**
     * Queues one review; one queued already stays, moved earlier when this one is due sooner. It
     * takes the queued review's lock, so it waits for a pass that has claimed that review: were it
     * to find the review queued and go on, the pass could drop it on what it read before this
     * transaction's change, and the change would never be reviewed.
     */
    void queue(GcReview review, Instant due);

    /** A review of every blob link and child manifest a manifest references, in key order, to queue once it is removed. */
    List<GcReview> referencesOf(long repositoryId, Digest manifest);

    // --- the queue -------------------------------------------------------------------------------

    /** Due reviews of one kind, oldest first, locked for this transaction; others' locked entries are skipped. */
    List<GcReview> claimDue(ReviewKind kind, Instant now, int limit);

    void dropReview(GcReview review);

    void reschedule(GcReview review, Instant due);

    /** How many reviews are queued, due or not. */
    long queuedReviews();

    // --- links ------------------------------------------------------------------------------------

    /** When the link was last made or confirmed, locking it; empty when there is no such link. */
    Optional<Instant> lockLink(long repositoryId, Digest digest);

    /** True when a manifest of the repository references the blob. */
    boolean linkReferenced(long repositoryId, Digest digest);

    void deleteLink(long repositoryId, Digest digest);

    /**
     * Records that a client confirmed the link (a {@code HEAD} or {@code GET}): its grace starts again.
     * False when the link is gone (garbage collection removed it after it was read).
     */
    boolean touchLink(long repositoryId, Digest digest, Instant now);

    // --- blobs ------------------------------------------------------------------------------------

    /** The blob's size, locking its record; empty when it is not recorded. */
    OptionalLong lockBlob(Digest digest);

    /** True when any repository links the blob. */
    boolean blobLinked(Digest digest);

    /** Removes the blob's record and marks its bytes as being removed. */
    void beginBlobDeletion(Digest digest, long size, Instant now);

    /** Removals begun before {@code startedBefore} and not finished (a stopped node's), locked for this transaction. */
    List<RemovedBlob> claimUnfinishedDeletions(Instant startedBefore, int limit);

    /** The bytes are gone: the removal is finished and remembered as of {@code now}. */
    void finishBlobDeletion(Digest digest, long size, Instant now);

    /** True while the blob's bytes are being removed. */
    boolean blobDeletionPending(Digest digest);

    /** When garbage collection last finished removing this digest, if it did and the digest was not recorded since. */
    Optional<Instant> blobRemovedAt(Digest digest);

    /** Forgets a removal: the digest has been recorded again. */
    void forgetRemoval(Digest digest);

    /** Removals finished before {@code before}, oldest first, after {@code after} in digest order. */
    List<RemovedBlob> removalsBefore(Instant before, int limit);

    /** Forgets removals finished before {@code before}; returns how many. */
    int forgetRemovalsBefore(Instant before);

    // --- manifests --------------------------------------------------------------------------------

    /** When the manifest was last pushed (stored, or pushed again), locking it; empty when it is not in the repository. */
    Optional<Instant> lockManifest(long repositoryId, Digest digest);

    /**
     * True when the manifest must stay whatever its age: it has a tag, an index of the repository
     * lists it, it is a referrer whose subject is in the repository, a tagged referrer names it as
     * its subject, or it was promoted (from or into the repository).
     */
    boolean manifestKept(long repositoryId, Digest digest);

    void deleteManifest(long repositoryId, Digest digest);

    /** True when the manifest was promoted from or into the repository. */
    boolean manifestPromoted(long repositoryId, Digest digest);

    // --- repositories -----------------------------------------------------------------------------

    /** When the repository was created, locking it; empty when it is gone. */
    Optional<Instant> lockRepository(long repositoryId);

    /** True when the repository has neither manifests nor links. */
    boolean repositoryEmpty(long repositoryId);

    void deleteRepository(long repositoryId);

    /** Repositories after {@code afterId}, by id, at most {@code limit}. */
    List<RepositoryRecord> repositories(long afterId, int limit);

    // --- retention ----------------------------------------------------------------------------

    /** Every tag of the repository, newest first. */
    List<TagRecord> tags(long repositoryId);

    /** Removes the tag only if it still points at {@code manifest}; true when it did. */
    boolean deleteTagIfUnchanged(long repositoryId, String tag, Digest manifest);

    /** True when the manifest has any tag in the repository. */
    boolean manifestTagged(long repositoryId, Digest manifest);

    // --- planning ({@code berth gc --dry-run}): reads only ----------------------------------------------

    /** Links no manifest of their repository references, last confirmed before {@code linkedBefore}. */
    List<GcReview> unreferencedLinks(Instant linkedBefore);

    /** Untagged manifests stored before {@code storedBefore}. */
    List<GcReview> untaggedManifests(Instant storedBefore);

    /** Blob records no repository links. */
    List<RecordedBlob> unlinkedBlobs();

    /** The blobs a manifest references (config, layers, and other blobs). */
    List<Digest> blobReferencesOf(long repositoryId, Digest manifest);

    /** The manifests of a repository that reference a blob. */
    List<Digest> manifestsReferencing(long repositoryId, Digest blob);

    /** Every link of a blob: the repository and when the link was last confirmed. */
    List<BlobLink> linksOf(Digest blob);

    /** When the manifest was last pushed, without locking it. */
    Optional<Instant> manifestPushedAt(long repositoryId, Digest digest);

    /** {@link #manifestKept} without its first reason: true when something other than a tag keeps the manifest. */
    boolean manifestKeptBesidesTags(long repositoryId, Digest digest);

    // --- mirror generations -----------------------------------------------------------------------

    /** Removes published generations that no blob belongs to any more, except the newest published; returns how many. */
    int deleteEmptyGenerations();
}
