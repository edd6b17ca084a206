package io.berth.registry;

import io.berth.oci.DigestAlgorithm;
import io.berth.storage.StagedBytes;
import io.berth.storage.UploadId;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Node-local running hashes of upload sessions, so that a chunked upload is hashed once while it
 * streams in. Each hash is bound to the {@link StagedBytes} it covers, version included: it is used
 * only while exactly those bytes are staged. After a restart, on another node, or once anything
 * else changed the staging there is none, and the staged bytes are re-hashed at completion.
 */
final class UploadHashes {
    /** A hash of exactly the bytes {@code staged}. */
    record Progress(DigestAlgorithm algorithm, MessageDigest hash, StagedBytes staged) {
    }

    private final ConcurrentMap<UploadId, Progress> progress = new ConcurrentHashMap<>();

    /**
     * Takes the hash of {@code id} to continue it with bytes appended at {@code offset}: the kept one
     * when it covers {@code offset} bytes with {@code algorithm}, a fresh one when nothing is staged,
     * else none. The caller binds the result to the staging it appended to, and keeps it only if
     * that staging is the one the hash covered ({@link #continues}).
     */
    Optional<Progress> take(UploadId id, DigestAlgorithm algorithm, long offset) {
        Progress current = progress.remove(id);
        if (current != null && current.staged().size() == offset && current.algorithm() == algorithm) {
            return Optional.of(current);
        }
        return offset == 0
                ? Optional.of(new Progress(algorithm, algorithm.newMessageDigest(), new StagedBytes(0, "")))
                : Optional.empty();
    }

    /** True when {@code taken} covered exactly {@code before}, so that it can be continued past it. */
    static boolean continues(Progress taken, StagedBytes before) {
        return before.size() == 0 || taken.staged().equals(before);
    }

    void keep(UploadId id, Progress hash) {
        progress.put(id, hash);
    }

    /** The hash of {@code id} if it covers exactly {@code staged} with {@code algorithm}. */
    Optional<MessageDigest> boundTo(UploadId id, StagedBytes staged, DigestAlgorithm algorithm) {
        return Optional.ofNullable(progress.get(id))
                .filter(kept -> kept.algorithm() == algorithm && kept.staged().equals(staged))
                .map(Progress::hash);
    }

    /** The sessions this node keeps a hash for. */
    java.util.Set<UploadId> sessions() {
        return java.util.Set.copyOf(progress.keySet());
    }

    void forget(UploadId id) {
        progress.remove(id);
    }
}
