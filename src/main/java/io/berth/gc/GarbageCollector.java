package io.berth.gc;

import io.berth.metadata.GcQueries;
import io.berth.metadata.GcReview;
import io.berth.metadata.MetadataException;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RemovedBlob;
import io.berth.metadata.RepositoryRecord;
import io.berth.metadata.ReviewKind;
import io.berth.metadata.TagRecord;
import io.berth.oci.Digest;
import io.berth.storage.BlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online garbage collection: one {@link #runPass() pass} applies retention, queues whatever may have
 * become unreferenced, and reviews what is due, while the registry serves. Any number of nodes may
 * run passes at once over one database; each review re-checks its item under row locks in one
 * transaction, so an entry in the queue is only ever a hint. Records go before bytes, and a blob's
 * bytes go only while its removal is marked ({@code docs/architecture.md}, "Garbage collection").
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** Reviews taken per transaction. */
    static final int BATCH = 200;
    /** A blob removal older than this was left by a stopped node and is finished by the next pass. */
    static final Duration UNFINISHED_AFTER = Duration.ofMinutes(1);
    /** Removing a manifest can make links and manifests due at once; so many rounds at most per pass. */
    private static final int MAX_ROUNDS = 8;
    /** How often a pass sweeps every table (on whichever node's pass finds it due first). */
    static final Duration SWEEP_INTERVAL = Duration.ofDays(1);

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;
    private final GcPolicy policy;
    private final BooleanSupplier paused;

    /**
     * @param paused true while the registry is read-only: a pass then changes nothing
     */
    public GarbageCollector(MetadataStore metadata, BlobStore blobs, Clock clock, GcPolicy policy, BooleanSupplier paused) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
        this.policy = policy;
        this.paused = paused;
    }

    public GcPolicy policy() {
        return policy;
    }

    /** Runs one pass now and reports what it removed. */
    public GcReport runPass() {
        long started = System.nanoTime();
        if (paused.getAsBoolean()) {
            return new GcReport("the registry is read-only", 0, 0, 0, 0, 0, 0, 0, queued(), 0, Duration.ZERO);
        }
        Counters counters = new Counters();
        finishUnfinishedDeletions(counters);
        applyRetention(counters);
        queueCandidates(counters);
        for (int round = 0; round < MAX_ROUNDS && !paused.getAsBoolean(); round++) {
            long before = counters.total();
            inParallel(() -> drain(ReviewKind.MANIFEST, counters));
            inParallel(() -> drain(ReviewKind.LINK, counters));
            inParallel(() -> drain(ReviewKind.BLOB, counters));
            inParallel(() -> drain(ReviewKind.REPOSITORY, counters));
            if (counters.total() == before) {
                break;
            }
        }
        counters.generations.addAndGet(metadata.inTransaction(session -> session.gc().deleteEmptyGenerations()));
        metadata.inTransaction(session -> session.gc().forgetRemovalsBefore(clock.instant().minus(policy.removalMemory())));
        policy.auditRetention().ifPresent(kept -> {
            int removed = metadata.inTransaction(session -> session.audit().removeBefore(clock.instant().minus(kept)));
            if (removed > 0) {
                LOG.info("garbage collection removed {} audit entries older than {} days", removed, kept.toDays());
            }
        });
        GcReport report = counters.report(queued(), Duration.ofNanos(System.nanoTime() - started));
        if (report.removedAnything()) {
            LOG.info(report.summary());
        }
        return report;
    }

    private long queued() {
        return metadata.read(session -> session.gc().queuedReviews());
    }

    // --- finding candidates ------------------------------------------------------------------------

    /**
     * Queues what the API noted as changed since the last pass, and, when a sweep is due, everything
     * the tables hold that may be unreferenced. The notes make a pass's work proportional to what
     * changed; the sweep finds what no note names (a policy changed since, content written around the
     * API) at a cost proportional to everything stored.
     */
    private void queueCandidates(Counters counters) {
        queueChanges(counters);
        Instant now = clock.instant();
        if (!sweepDue(now)) {
            return;
        }
        long graceMillis = policy.grace().toMillis();
        queueing(gc -> gc.queueUnreferencedLinks(graceMillis), counters);
        queueing(gc -> gc.queueUnlinkedBlobs(now), counters);
        policy.untaggedAfter().ifPresent(age -> queueing(gc -> gc.queueUntaggedManifests(now.minus(age), now), counters));
        queueing(gc -> gc.queueEmptyRepositories(graceMillis), counters);
        metadata.inTransaction(session -> {
            session.gc().recordSweep(now);
            return null;
        });
    }

    /**
     * A sweep is due when no pass on any node swept in the last {@link #SWEEP_INTERVAL}: what a
     * policy change makes removable among content nothing changed since is found within a day.
     */
    private boolean sweepDue(Instant now) {
        Optional<Instant> last = metadata.read(session -> session.gc().lastSweep());
        return last.isEmpty() || !last.get().plus(SWEEP_INTERVAL).isAfter(now);
    }

    /** Moves the API's change notes into the review queue, a batch per transaction, until none is left. */
    private void queueChanges(Counters counters) {
        while (queueing(this::queueNotedChanges, counters) == BATCH) {
            // the next batch
        }
    }

    /** Takes a batch of change notes and queues their reviews, due now, in key order; returns how many it took. */
    private int queueNotedChanges(GcQueries gc) {
        List<GcReview> changes = gc.takeChanges(BATCH);
        FollowUps reviews = new FollowUps();
        changes.forEach(reviews::add);
        reviews.queue(gc, clock.instant());
        return changes.size();
    }

    /**
     * Runs one queueing statement in its own transaction and returns what it counted; a collision with
     * another node's pass only defers the work (and counts 0).
     */
    private int queueing(java.util.function.ToIntFunction<GcQueries> statement, Counters counters) {
        try {
            return metadata.inTransaction(session -> statement.applyAsInt(session.gc()));
        } catch (MetadataException e) {
            counters.rolledBack(e);
            LOG.debug("queueing garbage-collection reviews rolled back: {}", e.toString());
            return 0;
        }
    }

    // --- reviewing ---------------------------------------------------------------------------------

    /** Runs {@code work} on every worker at once and waits for all of them. */
    private void inParallel(Runnable work) {
        if (policy.workers() == 1) {
            work.run();
            return;
        }
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < policy.workers(); i++) {
                running.add(workers.submit(work));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a garbage-collection worker failed", e.getCause());
        }
    }

    /** Reviews due entries of one kind, a batch per transaction, until none is due or the registry turns read-only. */
    private void drain(ReviewKind kind, Counters counters) {
        while (!paused.getAsBoolean()) {
            int reviewed;
            try {
                reviewed = kind == ReviewKind.BLOB ? removeBlobs(counters) : reviewBatch(kind, counters);
            } catch (MetadataException e) {
                // Another node's pass can collide with this one (say, both queue the same review); the
                // transaction rolled back whole, and the next round or pass takes the work up again.
                counters.rolledBack(e);
                LOG.debug("a {} review batch rolled back: {}", kind, e.toString());
                return;
            }
            if (reviewed < BATCH) {
                return;
            }
        }
    }

    private int reviewBatch(ReviewKind kind, Counters counters) {
        return metadata.inTransaction(session -> {
            GcQueries gc = session.gc();
            Instant now = clock.instant();
            List<GcReview> due = gc.claimDue(kind, now, BATCH);
            FollowUps followUps = new FollowUps();
            for (GcReview review : due) {
                switch (kind) {
                    case LINK -> reviewLink(gc, review, now, counters, followUps);
                    case MANIFEST -> reviewManifest(gc, review, now, counters, followUps);
                    case REPOSITORY -> reviewRepository(gc, review, now, counters);
                    case BLOB -> throw new IllegalArgumentException("blobs are removed in two steps");
                }
            }
            followUps.queue(gc, now);
            return due.size();
        });
    }

    /** A link goes when it has been unconfirmed for the grace and no manifest of its repository references it. */
    private void reviewLink(GcQueries gc, GcReview review, Instant now, Counters counters, FollowUps followUps) {
        Digest digest = Digest.parse(review.digest());
        Optional<Instant> linkedAt = gc.lockLink(review.repositoryId(), digest);
        if (linkedAt.isEmpty() || gc.linkReferenced(review.repositoryId(), digest)) {
            gc.dropReview(review);
            return;
        }
        Instant due = linkedAt.get().plus(policy.grace());
        if (due.isAfter(now)) {
            gc.reschedule(review, due);
            return;
        }
        gc.deleteLink(review.repositoryId(), digest);
        gc.dropReview(review);
        followUps.add(new GcReview(ReviewKind.BLOB, 0, review.digest()));
        followUps.add(new GcReview(ReviewKind.REPOSITORY, review.repositoryId(), ""));
        counters.links.incrementAndGet();
    }

    /** An untagged manifest goes when it is old enough and nothing keeps it ({@link GcQueries#manifestKept}). */
    private void reviewManifest(GcQueries gc, GcReview review, Instant now, Counters counters, FollowUps followUps) {
        Digest digest = Digest.parse(review.digest());
        Optional<Instant> storedAt = gc.lockManifest(review.repositoryId(), digest);
        if (storedAt.isEmpty() || policy.untaggedAfter().isEmpty() || gc.manifestKept(review.repositoryId(), digest)) {
            gc.dropReview(review);
            return;
        }
        Instant due = storedAt.get().plus(policy.untaggedAfter().get());
        if (due.isAfter(now)) {
            gc.reschedule(review, due);
            return;
        }
        removeManifest(gc, review.repositoryId(), digest, followUps);
        gc.dropReview(review);
        counters.manifests.incrementAndGet();
    }

    /** Removes a manifest whose removal was decided, and queues what it referenced. */
    private static void removeManifest(GcQueries gc, long repositoryId, Digest digest, FollowUps followUps) {
        gc.referencesOf(repositoryId, digest).forEach(followUps::add);
        gc.deleteManifest(repositoryId, digest);
        followUps.add(new GcReview(ReviewKind.REPOSITORY, repositoryId, ""));
    }

    /** An empty repository goes once it is older than the grace. */
    private void reviewRepository(GcQueries gc, GcReview review, Instant now, Counters counters) {
        Optional<Instant> createdAt = gc.lockRepository(review.repositoryId());
        if (createdAt.isEmpty() || !gc.repositoryEmpty(review.repositoryId())) {
            gc.dropReview(review);
            return;
        }
        Instant due = createdAt.get().plus(policy.grace());
        if (due.isAfter(now)) {
            gc.reschedule(review, due);
            return;
        }
        gc.deleteRepository(review.repositoryId());
        gc.dropReview(review);
        counters.repositories.incrementAndGet();
    }

    /**
     * Removes due blobs that no repository links: first their records, marking each removal (one
     * transaction), then their bytes, then the marks (another). While a removal is marked, no upload
     * records the digest, so bytes an upload relies on are never the ones removed.
     */
    private int removeBlobs(Counters counters) {
        List<RemovedBlob> marked = new ArrayList<>();
        int reviewed = metadata.inTransaction(session -> {
            GcQueries gc = session.gc();
            Instant now = clock.instant();
            List<GcReview> due = gc.claimDue(ReviewKind.BLOB, now, BATCH);
            for (GcReview review : due) {
                Digest digest = Digest.parse(review.digest());
                var size = gc.lockBlob(digest);
                gc.dropReview(review);
                if (size.isPresent() && !gc.blobLinked(digest)) {
                    gc.beginBlobDeletion(digest, size.getAsLong(), now);
                    marked.add(new RemovedBlob(digest, size.getAsLong(), now));
                }
            }
            return due.size();
        });
        finishRemovals(marked, counters);
        return reviewed;
    }

    /** Removes the bytes of marked removals and then their marks; a removal whose bytes resist stays marked for the next pass. */
    private void finishRemovals(List<RemovedBlob> marked, Counters counters) {
        List<RemovedBlob> removed = new ArrayList<>();
        for (RemovedBlob blob : marked) {
            try {
                blobs.delete(blob.digest());
                removed.add(blob);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot remove the bytes of {} now; the next pass retries: {}", blob.digest(), e.toString());
            }
        }
        if (removed.isEmpty()) {
            return;
        }
        metadata.inTransaction(session -> {
            Instant now = clock.instant();
            for (RemovedBlob blob : removed) {
                session.gc().finishBlobDeletion(blob.digest(), blob.size(), now);
            }
            return null;
        });
        for (RemovedBlob blob : removed) {
            counters.blobs.incrementAndGet();
            counters.bytes.addAndGet(blob.size());
        }
    }

    /** Finishes removals a stopped node left marked: their records are gone, so their bytes may go. */
    private void finishUnfinishedDeletions(Counters counters) {
        while (true) {
            List<RemovedBlob> unfinished = metadata.read(session ->
                    session.gc().claimUnfinishedDeletions(clock.instant().minus(UNFINISHED_AFTER), BATCH));
            if (unfinished.isEmpty()) {
                return;
            }
            finishRemovals(unfinished, counters);
            if (unfinished.size() < BATCH) {
                return;
            }
        }
    }

    // --- retention ---------------------------------------------------------------------------------

    /** Removes the tags retention lets go, and the manifests that leaves untagged when nothing else keeps them. */
    private void applyRetention(Counters counters) {
        if (policy.retention().isEmpty()) {
            return;
        }
        long after = 0;
        while (!paused.getAsBoolean()) {
            long from = after;
            List<RepositoryRecord> page = metadata.read(session -> session.gc().repositories(from, BATCH));
            for (RepositoryRecord repository : page) {
                policy.retentionFor(repository.name()).ifPresent(rule -> retain(repository, rule, counters));
            }
            if (page.size() < BATCH) {
                return;
            }
            after = page.getLast().id();
        }
    }

    private void retain(RepositoryRecord repository, RetentionRule rule, Counters counters) {
        Instant now = clock.instant();
        List<TagRecord> tags = metadata.read(session -> session.gc().tags(repository.id()));
        for (TagRecord tag : rule.expired(tags, now)) {
            if (policy.tagGuard().guarded(repository.name(), tag.name())) {
                continue;
            }
            metadata.inTransaction(session -> {
                GcQueries gc = session.gc();
                if (gc.manifestPromoted(repository.id(), tag.manifest())
                        || !gc.deleteTagIfUnchanged(repository.id(), tag.name(), tag.manifest())) {
                    return null;
                }
                counters.tags.incrementAndGet();
                Optional<Instant> pushedAt = gc.lockManifest(repository.id(), tag.manifest());
                if (pushedAt.isPresent() && pushedAt.get().isBefore(now.minus(rule.olderThan()))
                        && !gc.manifestKept(repository.id(), tag.manifest())) {
                    FollowUps followUps = new FollowUps();
                    removeManifest(gc, repository.id(), tag.manifest(), followUps);
                    followUps.queue(gc, now);
                    counters.manifests.incrementAndGet();
                }
                return null;
            });
        }
    }

    /** Tallies of one pass, shared by its workers. */
    private static final class Counters {
        final AtomicLong tags = new AtomicLong();
        final AtomicLong manifests = new AtomicLong();
        final AtomicLong links = new AtomicLong();
        final AtomicLong blobs = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong repositories = new AtomicLong();
        final AtomicLong generations = new AtomicLong();
        final AtomicLong deadlocks = new AtomicLong();

        /** Counts a transaction PostgreSQL rolled back as a deadlock's victim. */
        void rolledBack(MetadataException e) {
            if (FollowUps.deadlock(e)) {
                deadlocks.incrementAndGet();
            }
        }

        long total() {
            return tags.get() + manifests.get() + links.get() + blobs.get() + repositories.get();
        }

        GcReport report(long queued, Duration took) {
            return new GcReport("", tags.get(), manifests.get(), links.get(), blobs.get(), bytes.get(), repositories.get(),
                    generations.get(), queued, deadlocks.get(), took);
        }
    }
}
