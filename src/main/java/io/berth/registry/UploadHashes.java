package io.berth.registry;

import io.berth.oci.DigestAlgorithm;
import io.berth.storage.UploadId;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Node-local running hashes of upload sessions, so that a chunked upload is hashed once while it
 * streams in. A hash is only usable when it covers exactly the bytes staged so far; after a
 * restart, on another node, or after a failed chunk there is none and the staged bytes are
 * re-hashed at completion.
 */
final class UploadHashes {
    /** A hash of the first {@code size} bytes of an upload. */
    record Progress(DigestAlgorithm algorithm, MessageDigest hash, long size) {
    }

    private final ConcurrentMap<UploadId, Progress> progress = new ConcurrentHashMap<>();

    /** A hash positioned at {@code size}: the kept one when it matches, else a fresh one at zero. */
    Optional<MessageDigest> resume(UploadId id, DigestAlgorithm algorithm, long size) {
        Progress current = progress.remove(id);
        if (current != null && current.size() == size && current.algorithm() == algorithm) {
            return Optional.of(current.hash());
        }
        return size == 0 ? Optional.of(algorithm.newMessageDigest()) : Optional.empty();
    }

    void keep(UploadId id, DigestAlgorithm algorithm, MessageDigest hash, long size) {
        progress.put(id, new Progress(algorithm, hash, size));
    }

    Optional<Progress> peek(UploadId id) {
        return Optional.ofNullable(progress.get(id));
    }

    void forget(UploadId id) {
        progress.remove(id);
    }
}
