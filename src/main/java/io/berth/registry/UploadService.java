package io.berth.registry;

import io.berth.metadata.GcQueries;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.UploadRecord;
import io.berth.oci.ByteRange;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.storage.Appended;
import io.berth.storage.BlobStore;
import io.berth.storage.KeyedLocks;
import io.berth.storage.StagedBytes;
import io.berth.storage.StagingConflict;
import io.berth.storage.StagingLost;
import io.berth.storage.UploadId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Blob uploads (OCI Distribution Spec, "Pushing blobs"): sessions opened by POST, fed by PATCH,
 * closed by PUT with the digest of the whole blob, cancelled by DELETE. Session state is in the
 * metadata store and bytes are staged in the blob store, so a session survives a restart.
 *
 * <p>Content becomes visible only after its digest is verified: the staged bytes are committed to
 * their content address, recorded, and linked to the repository, in that order. A digest mismatch
 * discards the staged bytes and the session.
 *
 * <p>Integrity holds by construction, not by the good behaviour of clients:
 * <ul>
 *   <li>every request on a session runs under the session's lock, which is never dropped while a
 *       request holds or waits on it ({@link KeyedLocks});</li>
 *   <li>bytes are only ever appended at exactly the staged size ({@link io.berth.storage.UploadStaging}):
 *       a chunk at any other offset is refused with 416 and nothing staged is overwritten;</li>
 *   <li>a running hash is trusted only while the staging carries the very version it was bound to;
 *       otherwise the staged bytes are re-hashed, and committed only if still that version;</li>
 *   <li>a commit replaces whatever the store held under the digest with the bytes just verified.</li>
 * </ul>
 */
public final class UploadService {
    private final MetadataStore metadata;
    private final Quotas quotas;
    private final BlobStore blobs;
    private final Clock clock;
    private final UploadHashes hashes = new UploadHashes();
    private final KeyedLocks<UploadId> locks = new KeyedLocks<>();
    private final UploadSweep sweep;
    /** How long a request waits for another request on the same session to end. */
    static final Duration SESSION_LOCK_WAIT = Duration.ofSeconds(5);
    /** Read size when re-hashing staged bytes; one buffer per completing request. */
    private static final int REHASH_BUFFER_BYTES = 64 * 1024;
    /** How long completing an upload waits for garbage collection to finish removing the same digest. */
    private static final java.time.Duration REMOVAL_WAIT = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration REMOVAL_POLL = java.time.Duration.ofMillis(50);

    public UploadService(MetadataStore metadata, BlobStore blobs, Clock clock) {
        this(metadata, blobs, clock, Quotas.NONE);
    }

    /**
     * @param quotas checked when a push into a new repository starts, and when an upload completes:
     *               before its bytes are committed, and again in the transaction that records them
     */
    public UploadService(MetadataStore metadata, BlobStore blobs, Clock clock, Quotas quotas) {
        this.quotas = quotas;
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
        this.sweep = new UploadSweep(metadata, blobs, clock, locks, hashes);
    }

    /** The sweeps of this node's sessions: expiry, and staging or hashes that no session owns. */
    public UploadSweep sweep() {
        return sweep;
    }

    /**
     * The most heap one request sending blob bytes holds while they stream into staging: the HTTP
     * layer budgets this much for each such request in flight.
     */
    public int appendBufferBytes() {
        return blobs.appendBufferBytes();
    }

    /**
     * Opens a session (end-4a).
     *
     * @throws RegistryException {@code DENIED} (403) when the repository is new and a quota allows no more
     */
    public UploadStatus start(RepositoryName repository) {
        if (!quotas.isEmpty()) {
            metadata.read(session -> {
                quotas.checkRepository(session, repository);
                return null;
            });
        }
        UploadId id = UploadId.random();
        try {
            blobs.create(id);
        } catch (IOException e) {
            throw new StorageFailure("cannot stage upload " + id, e);
        }
        Instant now = clock.instant();
        // Unsynced, as is every change to a session's record: a machine crash that loses one leaves a
        // session the client is told is unknown, and starts again; the blob itself is synced at commit.
        metadata.inUnsyncedTransaction(session -> {
            session.uploads().createUpload(new UploadRecord(id.value(), repository, 0, now, now));
            return null;
        });
        return new UploadStatus(repository, id, 0);
    }

    /**
     * The session's progress (end-13). Read without the session's lock, so that a client can ask
     * while one of its chunks is still streaming; a session whose staging is gone is confirmed gone
     * under the lock and answered as unknown, as every other request on it is.
     */
    public UploadStatus status(RepositoryName repository, String id) {
        UploadRecord upload = find(repository, id);
        UploadId uploadId = new UploadId(upload.id());
        if (stagedNow(uploadId).isEmpty()) {
            withSession(repository, id, (lockedId, lockedUpload) -> {
                if (stagedNow(lockedId).isEmpty()) {
                    throw lost(lockedId);
                }
                return null;
            });
        }
        return new UploadStatus(repository, uploadId, upload.size());
    }

    /**
     * Appends a chunk (end-5). With a {@code Content-Range} the chunk must start where the staged
     * bytes end, else 416; without one the body is appended as a stream.
     *
     * @param declaredLength the request's {@code Content-Length}, when sent
     */
    public UploadStatus append(RepositoryName repository, String id, Optional<ByteRange> range,
                               OptionalLong declaredLength, InputStream body) {
        return withSession(repository, id, (uploadId, upload) -> {
            StagedBytes staged = appendLocked(uploadId, upload, range, declaredLength, body, DigestAlgorithm.SHA256, true);
            return new UploadStatus(repository, uploadId, staged.size());
        });
    }

    /**
     * Closes the session (end-6): appends the optional final chunk, verifies {@code expected}
     * against every byte received, and commits the blob into {@code repository}.
     */
    public BlobInfo complete(RepositoryName repository, String id, Digest expected, Optional<ByteRange> range,
                             OptionalLong declaredLength, InputStream body) {
        return withSession(repository, id, (uploadId, upload) -> {
            boolean hasBody = range.isPresent() || declaredLength.orElse(-1) != 0;
            Optional<StagedBytes> appended = hasBody
                    ? Optional.of(appendLocked(uploadId, upload, range, declaredLength, body, expected.algorithm(), true))
                    : Optional.empty();
            return verifyAndCommit(repository, uploadId, expected, appended);
        });
    }

    /** Single-request upload (end-4b): the body is the whole blob. */
    public BlobInfo uploadWhole(RepositoryName repository, Digest expected, OptionalLong declaredLength, InputStream body) {
        UploadStatus started = start(repository);
        UploadId id = started.id();
        // Nobody else knows this session: it needs no lookup, and no progress recorded, as it ends
        // here (a session left by a failure is expired like any other).
        UploadRecord fresh = new UploadRecord(id.value(), repository, 0, clock.instant(), clock.instant());
        return withLock(id, () -> {
            boolean hasBody = declaredLength.orElse(-1) != 0;
            Optional<StagedBytes> appended = hasBody
                    ? Optional.of(appendLocked(id, fresh, Optional.empty(), declaredLength, body, expected.algorithm(), false))
                    : Optional.empty();
            return verifyAndCommit(repository, id, expected, appended);
        });
    }

    /** Cancels a session and drops its bytes (draft spec, "Cancel a blob upload"). */
    public void cancel(RepositoryName repository, String id) {
        withSession(repository, id, (uploadId, upload) -> {
            discard(uploadId);
            return null;
        });
    }

    /**
     * Appends a chunk at the offset its {@code Content-Range} names, or else at the end the session
     * has recorded. The store refuses any offset that is not exactly its staged size; the recorded
     * size then catches up with the staging (a node may have stopped between the two) and the
     * client is told where to resume. A body shorter or longer than declared is removed again.
     *
     * @param recordProgress whether the new size is recorded (not for a session that ends in this request)
     */
    private StagedBytes appendLocked(UploadId id, UploadRecord upload, Optional<ByteRange> range,
                                     OptionalLong declaredLength, InputStream body, DigestAlgorithm algorithm,
                                     boolean recordProgress) {
        long offset = range.map(ByteRange::first).orElse(upload.size());
        if (range.isPresent() && declaredLength.isPresent() && declaredLength.getAsLong() != range.get().length()) {
            throw RegistryException.withStatus(ErrorCode.SIZE_INVALID, 400,
                    "Content-Length " + declaredLength.getAsLong() + " does not match Content-Range " + range.get());
        }
        long expectedLength = range.map(ByteRange::length).orElse(declaredLength.orElse(-1));
        InputStream exact = expectedLength >= 0 ? new ExactLengthInputStream(body, expectedLength) : body;
        Optional<UploadHashes.Progress> hash = hashes.take(id, algorithm, offset);
        InputStream source = hash.<InputStream>map(taken -> new DigestInputStream(exact, taken.hash())).orElse(exact);
        Appended appended;
        try {
            appended = blobs.append(id, offset, source);
        } catch (StagingConflict e) {
            if (e.stagedSize() != upload.size()) {
                recordSize(id, e.stagedSize());
            }
            throw new ChunkOutOfOrder(e.stagedSize());
        } catch (StagingLost e) {
            throw lost(id);
        } catch (ExactLengthInputStream.LengthMismatch e) {
            throw RegistryException.of(ErrorCode.SIZE_INVALID, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("upload " + id + " interrupted", e);
        }
        hash.filter(taken -> UploadHashes.continues(taken, appended.before()))
                .ifPresent(taken -> hashes.keep(id, new UploadHashes.Progress(algorithm, taken.hash(), appended.after())));
        if (recordProgress) {
            recordSize(id, appended.after().size());
        }
        return appended.after();
    }

    private void recordSize(UploadId id, long size) {
        Instant now = clock.instant();
        metadata.inUnsyncedTransaction(session -> {
            session.uploads().updateUploadSize(id.value(), size, now);
            return null;
        });
    }

    /**
     * Verifies the staged bytes against {@code expected} and commits exactly the verified version:
     * with the running hash when it is bound to the staging as it stands, else by re-reading it.
     *
     * @param justAppended the staging this request's own append left, when it appended: it is the
     *                     version verified, without asking the store again; the commit still
     *                     refuses it if the staging has changed since
     */
    private BlobInfo verifyAndCommit(RepositoryName repository, UploadId id, Digest expected,
                                     Optional<StagedBytes> justAppended) {
        StagedBytes staged = justAppended.or(() -> stagedNow(id)).orElseThrow(() -> lost(id));
        Digest actual = hashes.boundTo(id, staged, expected.algorithm())
                .map(hash -> Digest.fromHash(expected.algorithm(), hash.digest()))
                .orElseGet(() -> rehash(id, staged, expected.algorithm()));
        hashes.forget(id);
        if (!actual.equals(expected)) {
            discard(id);
            throw RegistryException.withDetail(ErrorCode.DIGEST_INVALID,
                    "the uploaded content has digest " + actual + ", not " + expected,
                    java.util.Map.of("expected", expected.toString(), "actual", actual.toString()));
        }
        checkQuotas(repository, id, expected, staged.size());
        awaitRemovalOf(expected);
        try {
            blobs.commit(id, staged, expected);
        } catch (StagingConflict e) {
            throw changedWhileCompleting();
        } catch (StagingLost e) {
            throw lost(id);
        } catch (IOException e) {
            throw new StorageFailure("cannot commit blob " + expected, e);
        }
        boolean recorded;
        try {
            recorded = metadata.inTransaction(session -> {
                quotas.checkBlob(session, repository, expected, staged.size());
                session.recordBlob(expected, staged.size());
                if (!survivedRemoval(session.gc(), expected, staged.size())) {
                    // The record stays, linked nowhere, so that the next pass removes it with whatever
                    // bytes this upload left in the store.
                    session.gc().noteUnlinkedBlob(expected);
                    return false;
                }
                session.linkBlob(repository, expected);
                session.uploads().deleteUpload(id.value());
                return true;
            });
        } catch (RegistryException refusedByQuota) {
            discard(id);
            throw refusedByQuota;
        }
        if (!recorded) {
            discard(id);
            throw RegistryException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN, "garbage collection removed " + expected
                    + " while this upload completed; push the blob again");
        }
        return new BlobInfo(expected, staged.size());
    }

    /**
     * Refuses a blob that would pass a quota, discarding the session and its staged bytes. Checked
     * here, before the bytes are committed, so that a refused blob never reaches its content address;
     * and again under the quota's lock in the transaction that records it, so that two uploads near a
     * limit cannot both pass. A refusal there leaves the committed bytes without a record, as a crash
     * at that point would.
     */
    private void checkQuotas(RepositoryName repository, UploadId id, Digest digest, long size) {
        if (quotas.isEmpty()) {
            return;
        }
        try {
            metadata.read(session -> {
                quotas.checkBlob(session, repository, digest, size);
                return null;
            });
        } catch (RegistryException refused) {
            discard(id);
            throw refused;
        }
    }

    /**
     * Waits (briefly) while garbage collection removes the bytes of {@code digest}, so that the commit
     * that follows does not put bytes in place for a removal to take away.
     */
    private void awaitRemovalOf(Digest digest) {
        long deadline = System.nanoTime() + REMOVAL_WAIT.toNanos();
        while (metadata.read(session -> session.gc().blobDeletionPending(digest)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(REMOVAL_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether the bytes just committed under {@code digest} may be recorded: called with the blob's
     * record locked, so no removal can begin now. A removal still under way, or one that finished after
     * the commit (its bytes are then gone), refuses; an earlier removal is forgotten once the bytes are
     * seen in place.
     */
    private boolean survivedRemoval(GcQueries gc, Digest digest, long size) {
        if (gc.blobDeletionPending(digest)) {
            return false;
        }
        if (gc.blobRemovedAt(digest).isEmpty()) {
            return true;
        }
        try {
            if (blobs.size(digest).orElse(-1) != size) {
                return false;
            }
        } catch (IOException e) {
            throw new StorageFailure("cannot check blob " + digest, e);
        }
        gc.forgetRemoval(digest);
        return true;
    }

    /** Hashes the first {@code staged.size()} staged bytes, and checks that they still are {@code staged}. */
    private Digest rehash(UploadId id, StagedBytes staged, DigestAlgorithm algorithm) {
        MessageDigest hash = algorithm.newMessageDigest();
        byte[] buffer = new byte[REHASH_BUFFER_BYTES];
        long remaining = staged.size();
        try (InputStream in = blobs.openStaged(id)) {
            while (remaining > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw changedWhileCompleting();
                }
                hash.update(buffer, 0, read);
                remaining -= read;
            }
        } catch (StagingLost e) {
            throw lost(id);
        } catch (java.nio.file.NoSuchFileException e) {
            throw changedWhileCompleting();
        } catch (IOException e) {
            throw new StorageFailure("cannot re-read upload " + id, e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                // A piece of the staging vanished while it was read: the session was cancelled or
                // completed elsewhere meanwhile.
                throw changedWhileCompleting();
            }
            throw e;
        }
        if (!stagedNow(id).equals(Optional.of(staged))) {
            throw changedWhileCompleting();
        }
        return Digest.fromHash(algorithm, hash.digest());
    }

    private static RegistryException changedWhileCompleting() {
        return RegistryException.withStatus(ErrorCode.BLOB_UPLOAD_INVALID, 409,
                "the upload changed while it was being completed; check its progress and try again");
    }

    private Optional<StagedBytes> stagedNow(UploadId id) {
        try {
            return blobs.staged(id);
        } catch (IOException e) {
            throw new StorageFailure("cannot read the staging of upload " + id, e);
        }
    }

    /**
     * A session whose staged bytes are gone (a node stopped while completing it, or the staging was
     * removed by hand) cannot continue: its record is removed too, and every request on it, status
     * included, answers 404 {@code BLOB_UPLOAD_UNKNOWN}, so clients start the upload again.
     */
    private RegistryException lost(UploadId id) {
        discard(id);
        return RegistryException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                "the staged bytes of this upload are gone; start the upload again");
    }

    private void discard(UploadId id) {
        dropStaging(id);
        metadata.inUnsyncedTransaction(session -> session.uploads().deleteUpload(id.value()));
    }

    private void dropStaging(UploadId id) {
        UploadSweep.dropStaging(blobs, hashes, id);
    }

    private UploadRecord find(RepositoryName repository, String id) {
        if (UploadId.tryParse(id).isEmpty()) {
            throw unknownUpload();
        }
        return metadata.read(session -> session.uploads().upload(id))
                .filter(upload -> upload.repository().equals(repository))
                .orElseThrow(UploadService::unknownUpload);
    }

    /**
     * Runs {@code work} on the session under its lock, with the session as it stands once the lock
     * is held (a concurrent request may have moved or closed it).
     */
    private <T> T withSession(RepositoryName repository, String id,
                              java.util.function.BiFunction<UploadId, UploadRecord, T> work) {
        UploadId uploadId = UploadId.tryParse(id).orElseThrow(UploadService::unknownUpload);
        // A request naming the session under another repository is refused without waiting for
        // the lock, which a chunk of the real session may hold for as long as it streams.
        find(repository, id);
        return withLock(uploadId, () -> work.apply(uploadId, find(repository, id)));
    }
    private static RegistryException unknownUpload() {
        return RegistryException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN, "no such upload session");
    }

    /**
     * Runs {@code work} under the session's lock. A request waits for it at most
     * {@link #SESSION_LOCK_WAIT}: one session serves one request at a time, and a client that keeps
     * a chunk streaming cannot make others queue behind it (each holding its share of the body
     * budget) for longer than that; they get 503 and retry.
     */
    private <T> T withLock(UploadId id, java.util.function.Supplier<T> work) {
        try {
            return locks.withLock(id, SESSION_LOCK_WAIT, work::get);
        } catch (KeyedLocks.Busy busy) {
            throw RegistryException.of(ErrorCode.UNAVAILABLE,
                    "another request on this upload is still in progress; retry once it has ended");
        }
    }

    /** How many sessions this node keeps a running hash for. */
    int keptHashes() {
        return hashes.sessions().size();
    }

    /** How many sessions have a lock held or waited for right now: zero when the node is idle. */
    int heldLocks() {
        return locks.size();
    }

    /**
     * A chunk that does not start where the staged bytes end: 416 with the current {@code Range}
     * (OCI Distribution Spec, "Pushing a blob in chunks").
     */
    public static final class ChunkOutOfOrder extends RuntimeException {
        private final long stagedSize;

        ChunkOutOfOrder(long stagedSize) {
            super("chunk does not start at offset " + stagedSize);
            this.stagedSize = stagedSize;
        }

        public long stagedSize() {
            return stagedSize;
        }
    }
}
