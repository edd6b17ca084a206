package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.UploadRecord;
import io.berth.oci.ByteRange;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.storage.BlobStore;
import io.berth.storage.UploadId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blob uploads (OCI Distribution Spec, "Pushing blobs"): sessions opened by POST, fed by PATCH,
 * closed by PUT with the digest of the whole blob, cancelled by DELETE. Session state is in the
 * metadata store and bytes are staged in the blob store, so a session survives a restart.
 *
 * <p>Content becomes visible only after its digest is verified: the staged bytes are committed to
 * their content address, recorded, and linked to the repository, in that order. A digest mismatch
 * discards the staged bytes and the session.
 */
public final class UploadService {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;
    private final UploadHashes hashes = new UploadHashes();
    private final ConcurrentMap<UploadId, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Idle sessions read from the metadata at a time when expiring. */
    private static final int EXPIRY_BATCH = 500;

    public UploadService(MetadataStore metadata, BlobStore blobs, Clock clock) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * The most heap one request sending blob bytes holds while they stream into staging: the HTTP
     * layer budgets this much for each such request in flight.
     */
    public int appendBufferBytes() {
        return blobs.appendBufferBytes();
    }

    /** Opens a session (end-4a). */
    public UploadStatus start(RepositoryName repository) {
        UploadId id = UploadId.random();
        try {
            blobs.create(id);
        } catch (IOException e) {
            throw new StorageFailure("cannot stage upload " + id, e);
        }
        Instant now = clock.instant();
        metadata.inTransaction(session -> {
            session.uploads().createUpload(new UploadRecord(id.value(), repository, 0, now, now));
            return null;
        });
        return new UploadStatus(repository, id, 0);
    }

    /** The session's progress (end-13). */
    public UploadStatus status(RepositoryName repository, String id) {
        UploadRecord upload = find(repository, id);
        return new UploadStatus(repository, new UploadId(upload.id()), upload.size());
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
            long newSize = appendLocked(uploadId, upload.size(), range, declaredLength, body, DigestAlgorithm.SHA256);
            return new UploadStatus(repository, uploadId, newSize);
        });
    }

    /**
     * Closes the session (end-6): appends the optional final chunk, verifies {@code expected}
     * against every byte received, and commits the blob into {@code repository}.
     */
    public BlobInfo complete(RepositoryName repository, String id, Digest expected, Optional<ByteRange> range,
                             OptionalLong declaredLength, InputStream body) {
        return withSession(repository, id, (uploadId, upload) -> {
            long size = upload.size();
            boolean hasBody = range.isPresent() || declaredLength.orElse(-1) != 0;
            if (hasBody) {
                size = appendLocked(uploadId, size, range, declaredLength, body, expected.algorithm());
            }
            BlobInfo blob = verifyAndCommit(repository, uploadId, expected, size);
            locks.remove(uploadId);
            return blob;
        });
    }

    /** Single-request upload (end-4b): the body is the whole blob. */
    public BlobInfo uploadWhole(RepositoryName repository, Digest expected, OptionalLong declaredLength, InputStream body) {
        UploadStatus started = start(repository);
        return complete(repository, started.id().value(), expected, Optional.empty(), declaredLength, body);
    }

    /** Cancels a session and drops its bytes (draft spec, "Cancel a blob upload"). */
    public void cancel(RepositoryName repository, String id) {
        withSession(repository, id, (uploadId, upload) -> {
            discard(uploadId);
            locks.remove(uploadId);
            return null;
        });
    }

    /**
     * Expires the sessions nobody has touched for {@code idleFor}: each is deleted from the
     * metadata, unless a chunk arrived meanwhile, and then its staged bytes are dropped. Safe to
     * run on every node at once; a session is only ever removed by one of them.
     *
     * @return how many sessions were expired
     */
    public int expireIdle(Duration idleFor) {
        Instant cutoff = clock.instant().minus(idleFor);
        int expired = 0;
        while (true) {
            List<UploadRecord> idle = metadata.read(session -> session.uploads().uploadsIdleSince(cutoff, EXPIRY_BATCH));
            int expiredNow = 0;
            for (UploadRecord upload : idle) {
                if (expire(new UploadId(upload.id()), cutoff)) {
                    expiredNow++;
                }
            }
            expired += expiredNow;
            if (idle.size() < EXPIRY_BATCH || expiredNow == 0) {
                return expired;
            }
        }
    }

    /**
     * Removes staged bytes that no session owns: left behind when a node stopped between the two
     * steps of opening, completing or cancelling a session (bytes and record are written apart).
     * Staging is removed only if it was already ownerless at the previous call, whose result is
     * {@code suspects}: a session being opened at this moment has its staging a moment before its
     * record, and is left alone.
     *
     * @return how many were removed, and the ownerless staging seen now and kept for the next call
     */
    public OrphanSweep discardOrphanStaging(Set<UploadId> suspects) {
        List<UploadId> staged;
        try {
            staged = blobs.stagedUploads();
        } catch (IOException e) {
            throw new StorageFailure("cannot list staged uploads", e);
        }
        Set<UploadId> orphans = new HashSet<>();
        int removed = 0;
        for (UploadId id : staged) {
            if (isRecorded(id)) {
                continue;
            }
            if (!suspects.contains(id)) {
                orphans.add(id);
                continue;
            }
            boolean discarded = withLock(id, () -> {
                if (isRecorded(id)) {
                    return false;
                }
                dropStaging(id);
                locks.remove(id);
                return true;
            });
            removed += discarded ? 1 : 0;
        }
        return new OrphanSweep(removed, Set.copyOf(orphans));
    }

    /** What {@link #discardOrphanStaging} did: staging removed, and staging to look at again next time. */
    public record OrphanSweep(int removed, Set<UploadId> suspects) {
    }

    private boolean isRecorded(UploadId id) {
        return metadata.read(session -> session.uploads().upload(id.value())).isPresent();
    }

    /** Like {@link #complete} and {@link #cancel}, forgets the session's lock only once it is gone. */
    private boolean expire(UploadId id, Instant cutoff) {
        return withLock(id, () -> {
            boolean gone = metadata.inTransaction(session -> session.uploads().deleteUploadIdleSince(id.value(), cutoff));
            if (gone) {
                dropStaging(id);
                locks.remove(id);
            }
            return gone;
        });
    }

    private long appendLocked(UploadId id, long size, Optional<ByteRange> range, OptionalLong declaredLength,
                              InputStream body, DigestAlgorithm algorithm) {
        if (range.isPresent()) {
            ByteRange chunk = range.get();
            if (chunk.first() != size) {
                throw new ChunkOutOfOrder(size);
            }
            if (declaredLength.isPresent() && declaredLength.getAsLong() != chunk.length()) {
                throw RegistryException.withStatus(ErrorCode.SIZE_INVALID, 400,
                        "Content-Length " + declaredLength.getAsLong() + " does not match Content-Range " + chunk);
            }
        }
        Optional<MessageDigest> hash = hashes.resume(id, algorithm, size);
        InputStream source = hash.<InputStream>map(h -> new DigestInputStream(body, h)).orElse(body);
        long newSize;
        try {
            newSize = blobs.append(id, size, source);
        } catch (IOException e) {
            throw new UncheckedIOException("upload " + id + " interrupted", e);
        }
        long received = newSize - size;
        long expectedLength = range.map(ByteRange::length).orElse(declaredLength.orElse(-1));
        if (expectedLength >= 0 && received != expectedLength) {
            truncateBack(id, size);
            throw RegistryException.of(ErrorCode.SIZE_INVALID,
                    "received " + received + " bytes, but the request declared " + expectedLength);
        }
        hash.ifPresent(h -> hashes.keep(id, algorithm, h, newSize));
        Instant now = clock.instant();
        metadata.inTransaction(session -> {
            session.uploads().updateUploadSize(id.value(), newSize, now);
            return null;
        });
        return newSize;
    }

    private void truncateBack(UploadId id, long size) {
        try (InputStream empty = InputStream.nullInputStream()) {
            blobs.append(id, size, empty);
        } catch (IOException e) {
            throw new StorageFailure("cannot roll back upload " + id, e);
        }
    }

    private BlobInfo verifyAndCommit(RepositoryName repository, UploadId id, Digest expected, long size) {
        Digest actual = hashes.peek(id)
                .filter(progress -> progress.size() == size && progress.algorithm() == expected.algorithm())
                .map(progress -> Digest.fromHash(expected.algorithm(), progress.hash().digest()))
                .orElseGet(() -> rehash(id, expected.algorithm()));
        hashes.forget(id);
        if (!actual.equals(expected)) {
            discard(id);
            throw RegistryException.withDetail(ErrorCode.DIGEST_INVALID,
                    "the uploaded content has digest " + actual + ", not " + expected,
                    java.util.Map.of("expected", expected.toString(), "actual", actual.toString()));
        }
        try {
            blobs.commit(id, expected);
        } catch (IOException e) {
            throw new StorageFailure("cannot commit blob " + expected, e);
        }
        metadata.inTransaction(session -> {
            session.recordBlob(expected, size);
            session.linkBlob(repository, expected);
            session.uploads().deleteUpload(id.value());
            return null;
        });
        return new BlobInfo(expected, size);
    }

    private Digest rehash(UploadId id, DigestAlgorithm algorithm) {
        MessageDigest hash = algorithm.newMessageDigest();
        byte[] buffer = new byte[256 * 1024];
        try (InputStream staged = blobs.openStaged(id)) {
            int read;
            while ((read = staged.read(buffer)) >= 0) {
                hash.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new StorageFailure("cannot re-read upload " + id, e);
        }
        return Digest.fromHash(algorithm, hash.digest());
    }

    private void discard(UploadId id) {
        dropStaging(id);
        metadata.inTransaction(session -> session.uploads().deleteUpload(id.value()));
    }

    /** Drops the staged bytes of {@code id} and its running hash. */
    private void dropStaging(UploadId id) {
        hashes.forget(id);
        try {
            blobs.discard(id);
        } catch (IOException e) {
            throw new StorageFailure("cannot discard upload " + id, e);
        }
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
     * is held (a concurrent request may have moved or closed it): one metadata read per request.
     */
    private <T> T withSession(RepositoryName repository, String id,
                              java.util.function.BiFunction<UploadId, UploadRecord, T> work) {
        UploadId uploadId = UploadId.tryParse(id).orElseThrow(UploadService::unknownUpload);
        return withLock(uploadId, () -> {
            UploadRecord upload;
            try {
                upload = find(repository, id);
            } catch (RegistryException unknown) {
                locks.remove(uploadId);
                throw unknown;
            }
            return work.apply(uploadId, upload);
        });
    }
    private static RegistryException unknownUpload() {
        return RegistryException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN, "no such upload session");
    }

    private <T> T withLock(UploadId id, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
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
