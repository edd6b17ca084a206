package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.UploadRecord;
import io.berth.storage.BlobStore;
import io.berth.storage.KeyedLocks;
import io.berth.storage.UploadId;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What each node sweeps from time to time: upload sessions left idle, staged bytes that no session
 * owns, and running hashes of sessions that ended on another node. Every step on a session runs
 * under the same lock as the requests of {@link UploadService}, and skips a session a request keeps
 * busy: a busy session is not idle.
 */
public final class UploadSweep {
    /** Idle sessions read from the metadata at a time when expiring. */
    private static final int EXPIRY_BATCH = 500;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;
    private final KeyedLocks<UploadId> locks;
    private final UploadHashes hashes;

    UploadSweep(MetadataStore metadata, BlobStore blobs, Clock clock, KeyedLocks<UploadId> locks, UploadHashes hashes) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
        this.locks = locks;
        this.hashes = hashes;
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
     * record, and is left alone. Running hashes of sessions that ended on another node are dropped
     * too.
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
            boolean discarded = sweepUnderLock(id, () -> {
                if (isRecorded(id)) {
                    return false;
                }
                dropStaging(id);
                return true;
            });
            removed += discarded ? 1 : 0;
        }
        forgetHashesOfEndedSessions();
        return new OrphanSweep(removed, Set.copyOf(orphans));
    }

    /**
     * Drops the running hashes of sessions that ended on another node (completed, cancelled or
     * expired there), which this node would otherwise keep for good.
     */
    private void forgetHashesOfEndedSessions() {
        for (UploadId id : hashes.sessions()) {
            if (!isRecorded(id)) {
                hashes.forget(id);
            }
        }
    }

    /** What {@link #discardOrphanStaging} did: staging removed, and staging to look at again next time. */
    public record OrphanSweep(int removed, Set<UploadId> suspects) {
    }

    private boolean isRecorded(UploadId id) {
        return metadata.read(session -> session.uploads().upload(id.value())).isPresent();
    }

    /** Expires one session under its lock, unless a chunk arrived since {@code cutoff}. */
    private boolean expire(UploadId id, Instant cutoff) {
        return sweepUnderLock(id, () -> {
            boolean gone = metadata.inTransaction(session -> session.uploads().deleteUploadIdleSince(id.value(), cutoff));
            if (gone) {
                dropStaging(id);
            }
            return gone;
        });
    }

    /**
     * Runs one step of a sweep under the session's lock; a session that a request keeps busy is
     * not idle, and is left for the next sweep.
     */
    private boolean sweepUnderLock(UploadId id, java.util.function.BooleanSupplier step) {
        try {
            return locks.withLock(id, UploadService.SESSION_LOCK_WAIT, step::getAsBoolean);
        } catch (KeyedLocks.Busy busy) {
            return false;
        }
    }

    /** Drops the staged bytes of {@code id} and its running hash. */
    static void dropStaging(BlobStore blobs, UploadHashes hashes, UploadId id) {
        hashes.forget(id);
        try {
            blobs.discard(id);
        } catch (IOException e) {
            throw new StorageFailure("cannot discard upload " + id, e);
        }
    }

    private void dropStaging(UploadId id) {
        dropStaging(blobs, hashes, id);
    }
}
